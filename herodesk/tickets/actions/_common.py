"""Helpers shared by the ticket writers (not public)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from herodesk.domain import reports
from herodesk.lib.errors import Invalid
from herodesk.tickets import mentions, signals, sla
from herodesk.tickets.models import (
    ACTIVE_STATUSES,
    UNRESOLVED_STATUSES,
    Message,
    Reopening,
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
    """Set the status and what goes with it: the solve (and its resolution
    figures), the close, and on reopening a solved ticket a `Reopening` row
    keeping the solve it ends (the backlog of past moments reads it)."""
    ticket.status = status
    ticket.is_active = status in ACTIVE_STATUSES
    if status == Status.SOLVED:
        ticket.solved_at = at
        ticket.resolution_minutes = reports.resolution_minutes(
            sla.calendar_of(ticket.team), ticket.created_at, at
        )
        ticket.resolution_bucket = reports.bucket(ticket.resolution_minutes)
    elif status == Status.CLOSED:
        ticket.closed_at = at
    elif status in UNRESOLVED_STATUSES:
        if ticket.solved_at is not None and ticket.pk is not None:
            Reopening.objects.create(ticket=ticket, resolved_at=ticket.solved_at, reopened_at=at)
        ticket.solved_at = None
        ticket.resolution_minutes = None
        ticket.resolution_bucket = None


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


def announce_mentions(ticket: Ticket, message: Message, author: Any) -> list[Any]:
    """Send `mentioned` for the staff a person's reply or note @mentions (not for
    mirrored messages or system authors); receivers (notify) tell them."""
    if author is None or isinstance(author, str) or message.metadata.get("mirrored_from"):
        return []
    users = mentions.mentioned(message.body, author)
    if users:
        signals.mentioned.send(Ticket, ticket=ticket, message=message, users=users, actor=author)
    return users
