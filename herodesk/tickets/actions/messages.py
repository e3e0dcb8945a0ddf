"""Writes to messages that are not a reply or a note: ids given by the outside world."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from herodesk.audit.log import record
from herodesk.tickets.models import Message, Ticket


@transaction.atomic
def messages_set_external_id(message_ids: Iterable[int], external_id: str) -> int:
    """Record the id a channel gave to desk messages it carried (a Slack ts, a
    GitHub comment id), so replies and echoes thread onto the ticket. Only
    messages without one are stamped; returns how many were."""
    return Message.objects.filter(pk__in=list(message_ids), external_id="").update(
        external_id=external_id[:255]
    )


@transaction.atomic
def ticket_set_metadata(ticket: Ticket, key: str, value: Any, *, actor: Any) -> Ticket:
    """Set one key of a ticket's metadata (intake facts, triage suggestions); audited."""
    before = ticket.metadata.get(key)
    ticket.metadata = {**ticket.metadata, key: value}
    Ticket.objects.filter(pk=ticket.pk).update(metadata=ticket.metadata)
    record(
        actor,
        "ticket.metadata_set",
        ticket,
        before={key: before},
        after={key: value},
        ticket=ticket,
    )
    return ticket
