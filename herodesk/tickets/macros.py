"""Macros: canned replies with placeholders (SPEC §5).

Placeholders look like Django's ({{ requester.first_name }}) but are filled
by plain substitution from a fixed list: no template engine, no attribute
access, so a macro can never reach anything but these values. The result is
plain text; pages escape it when they show it.

Writes (`macro_create`, `macro_update`, `macro_delete`) run in a transaction
and are audited; reads are `macros_for(team)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.errors import Invalid
from herodesk.tickets.models import Ticket
from herodesk.web.models import Macro, MacroKind

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+(?:\.[a-z_]+)?)\s*\}\}")
MAX_BODY = 10_000


def _requester(t: Ticket) -> Any:
    return t.requester


def _org_name(t: Ticket) -> str:
    org = t.requester.organization if t.requester is not None else None
    return org.name if org is not None else ""


def _agent_name(agent: Any) -> str:
    return (agent.get_full_name() or agent.get_username()) if agent is not None else ""


# name → (value from ticket and agent, what the settings page says about it)
PLACEHOLDERS: dict[str, tuple[Callable[[Ticket, Any], str], str]] = {
    "requester.first_name": (
        lambda t, a: (t.requester.first_name if t.requester else "") or "there",
        "Requester's first name (“there” when unknown)",
    ),
    "requester.name": (
        lambda t, a: (str(t.requester) if t.requester else "") or "there",
        "Requester's full name",
    ),
    "requester.email": (
        lambda t, a: (t.requester.email or "") if t.requester else "",
        "Requester's email",
    ),
    "organization.name": (lambda t, a: _org_name(t) or "your organization", "Organization"),
    "ticket.id": (lambda t, a: str(t.pk), "Ticket number"),
    "ticket.subject": (lambda t, a: t.subject, "Ticket subject"),
    "team.name": (lambda t, a: t.team.name if t.team_id and t.team else "Support", "Team name"),
    "agent.first_name": (
        lambda t, a: (a.first_name or a.get_username()) if a else "",
        "Your first name",
    ),
    "agent.name": (lambda t, a: _agent_name(a), "Your full name"),
}


def unknown_placeholders(body: str) -> list[str]:
    return sorted({m.group(1) for m in PLACEHOLDER.finditer(body)} - set(PLACEHOLDERS))


def render(body: str, ticket: Ticket, agent: Any) -> str:
    """The macro text with placeholders filled from the ticket (unknown ones kept)."""

    def fill(match: re.Match[str]) -> str:
        entry = PLACEHOLDERS.get(match.group(1))
        return entry[0](ticket, agent) if entry else match.group(0)

    return PLACEHOLDER.sub(fill, body)


def macros_for(team: Any) -> list[Macro]:
    """Macros offered on a team's tickets: the team's own, then the global ones."""
    qs = (
        Macro.objects.filter(Q(team__isnull=True) | Q(team=team))
        if team
        else (Macro.objects.filter(team__isnull=True))
    )
    return sorted(qs, key=lambda m: (m.team_id is None, m.position, m.name.lower()))


def _clean(name: str, body: str, kind: str, set_status: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("name must not be empty", field="name")
    if len(name) > 100:
        raise Invalid("name is too long (at most 100 characters)", field="name")
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid("body must not be empty", field="body")
    if len(body) > MAX_BODY:
        raise Invalid(f"body is too long (at most {MAX_BODY} characters)", field="body")
    unknown = unknown_placeholders(body)
    if unknown:
        raise Invalid(
            f"unknown placeholder {{{{ {unknown[0]} }}}}; use one of " + ", ".join(PLACEHOLDERS),
            field="body",
        )
    if kind not in MacroKind.values:
        raise Invalid("kind must be public or note", field="kind")
    if set_status not in ("", "pending", "solved"):
        raise Invalid("set_status must be empty, pending or solved", field="set_status")
    return name, body


def _snapshot(m: Macro) -> dict[str, Any]:
    return {
        "team": m.team_id,
        "name": m.name,
        "body": m.body,
        "kind": m.kind,
        "set_status": m.set_status,
        "position": m.position,
    }


def _save(m: Macro) -> None:
    try:
        with transaction.atomic():
            m.save()
    except IntegrityError:
        raise Invalid(f"a macro named {m.name!r} already exists here", field="name") from None


@transaction.atomic
def macro_create(
    *,
    team: Any,
    name: str,
    body: str,
    actor: Any,
    kind: str = MacroKind.PUBLIC,
    set_status: str = "",
    position: int = 100,
    at: datetime | None = None,
) -> Macro:
    at = at or timezone.now()
    name, body = _clean(name, body, kind, set_status)
    m = Macro(
        team=team,
        name=name,
        body=body,
        kind=kind,
        set_status=set_status,
        position=position,
        created_at=at,
        updated_at=at,
        updated_by=actor if not isinstance(actor, str) else None,
    )
    _save(m)
    record(actor, "macro.created", m, at=at, after=_snapshot(m))
    return m


@transaction.atomic
def macro_update(
    macro: Macro,
    *,
    actor: Any,
    name: str,
    body: str,
    kind: str = MacroKind.PUBLIC,
    set_status: str = "",
    position: int = 100,
    at: datetime | None = None,
) -> Macro:
    at = at or timezone.now()
    name, body = _clean(name, body, kind, set_status)
    macro = Macro.objects.select_for_update().get(pk=macro.pk)
    before = _snapshot(macro)
    macro.name, macro.body, macro.kind = name, body, kind
    macro.set_status, macro.position, macro.updated_at = set_status, position, at
    macro.updated_by = actor if not isinstance(actor, str) else None
    _save(macro)
    after = _snapshot(macro)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        record(
            actor,
            "macro.updated",
            macro,
            at=at,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return macro


@transaction.atomic
def macro_delete(macro: Macro, *, actor: Any) -> None:
    record(actor, "macro.deleted", macro, before=_snapshot(macro))
    macro.delete()
