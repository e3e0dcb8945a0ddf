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
from typing import Any

from django.db.models import Q

from herodesk.tickets.models import Macro, Ticket

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
