"""Helpers shared by the ticket writers (not public)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from herodesk.lib.errors import Invalid
from herodesk.tickets.models import (
    ACTIVE_STATUSES,
    Status,
    Ticket,
)

# Allowed status changes made by a person (requester replies reopen separately).
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.OPEN, Status.PENDING, Status.SOLVED},
    Status.OPEN: {Status.PENDING, Status.SOLVED},
    Status.PENDING: {Status.OPEN, Status.SOLVED},
    Status.SOLVED: {Status.OPEN, Status.CLOSED},
    Status.CLOSED: set(),
}

# Tiers whose requesters must get a public reply before the ticket is solved.


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _set_status(ticket: Ticket, status: str, at: datetime) -> None:
    ticket.status = status
    ticket.is_active = status in ACTIVE_STATUSES
    if status == Status.SOLVED:
        ticket.solved_at = at
    elif status == Status.CLOSED:
        ticket.closed_at = at
    elif status in ACTIVE_STATUSES:
        ticket.solved_at = None


def _snapshot(ticket: Ticket, fields: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(ticket, name)
        out[name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def _validate_subject(subject: str) -> str:
    subject = " ".join((subject or "").split())
    if not subject:
        raise Invalid("subject must not be empty", field="subject")
    return subject[:300]
