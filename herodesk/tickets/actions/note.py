"""Internal notes: visible to agents only; @mentions notify."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from herodesk.audit.log import record
from herodesk.lib.errors import Invalid
from herodesk.tickets import signals
from herodesk.tickets.actions._common import _now, announce_mentions
from herodesk.tickets.actions.index import tickets_index
from herodesk.tickets.models import (
    Message,
    MessageKind,
    Ticket,
)


@transaction.atomic
def ticket_note(
    ticket: Ticket,
    *,
    author: Any,
    body: str,
    at: datetime | None = None,
    metadata: dict[str, Any] | None = None,
    announce: bool = True,
) -> Message:
    """An internal note: never shown to the requester, never stops a clock.

    A person's @mentions are announced (notify tells them) unless `announce`
    is off: notes the desk writes itself (hand-off, merge) name people
    without pinging them twice."""
    at = _now(at)
    if not (body or "").strip():
        raise Invalid("body must not be empty", field="body")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    ticket.updated_at = at
    ticket.save(update_fields=["updated_at"])
    message = Message.objects.create(
        ticket=ticket,
        kind=MessageKind.NOTE,
        author=author,
        body=body,
        created_at=at,
        metadata=metadata or {},
    )
    tickets_index([ticket.pk])
    record(author, "ticket.noted", ticket, ticket=ticket, at=at, after={"message": message.pk})
    signals.message_added.send(Ticket, ticket=ticket, message=message, actor=author)
    if announce:
        announce_mentions(ticket, message, author)
    return message
