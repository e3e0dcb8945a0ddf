"""Writes to macros (canned replies): create, update, delete; audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.lib.errors import Invalid
from herodesk.tickets.macros import MAX_BODY, PLACEHOLDERS, unknown_placeholders
from herodesk.tickets.models import Macro, MacroKind


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
