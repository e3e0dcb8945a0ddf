"""Writes to messages that are not a reply or a note: ids given by the outside world."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from herodesk.tickets.models import Message


@transaction.atomic
def messages_set_external_id(message_ids: Iterable[int], external_id: str) -> int:
    """Record the id a channel gave to desk messages it carried (a Slack ts, a
    GitHub comment id), so replies and echoes thread onto the ticket. Only
    messages without one are stamped; returns how many were."""
    return Message.objects.filter(pk__in=list(message_ids), external_id="").update(
        external_id=external_id[:255]
    )
