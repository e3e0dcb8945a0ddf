"""Merging duplicates (SPEC §3): `ticket_merge(duplicate, into, actor)`.

The duplicate's messages (with their attachments) move to the surviving
ticket, in time order; each ticket gets a note saying what happened; the
duplicate is closed with `merged_into` set, so later deliveries for its
external reference (a Sentry or GitHub issue) land on the survivor
(herodesk.intake.items.find_item follows `merged_into`). One transaction,
audited on both tickets.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.lib.errors import Conflict, Invalid
from herodesk.tickets.actions.index import tickets_index
from herodesk.tickets.actions.note import ticket_note
from herodesk.tickets.actions.status import ticket_set_status
from herodesk.tickets.models import ACTIVE_STATUSES, Message, MessageKind, Status, Ticket


def _check(duplicate: Ticket, into: Ticket) -> None:
    if duplicate.pk == into.pk:
        raise Invalid("a ticket cannot be merged into itself", field="into")
    if duplicate.merged_into_id:
        raise Conflict(
            f"ticket #{duplicate.pk} was already merged into #{duplicate.merged_into_id}"
        )
    if into.merged_into_id:
        raise Conflict(
            f"ticket #{into.pk} was merged into #{into.merged_into_id}; "
            f"merge into #{into.merged_into_id} instead"
        )
    if into.status == Status.CLOSED:
        raise Conflict(f"ticket #{into.pk} is closed; merge into an open ticket")
    if duplicate.status == Status.CLOSED:
        raise Conflict(f"ticket #{duplicate.pk} is closed")


@transaction.atomic
def ticket_merge(duplicate: Ticket, into: Ticket, *, actor: Any) -> Ticket:
    """Merge `duplicate` into `into`; returns the surviving ticket."""
    locked = {
        t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=[duplicate.pk, into.pk])
    }
    duplicate, into = locked.get(duplicate.pk, duplicate), locked.get(into.pk, into)
    _check(duplicate, into)
    at = timezone.now()
    moved = Message.objects.filter(ticket=duplicate).update(ticket=into)
    waiting = duplicate.status in ACTIVE_STATUSES
    latest = Message.objects.filter(ticket=into, kind=MessageKind.REQUESTER).aggregate(
        at=Max("created_at")
    )["at"]
    Ticket.objects.filter(pk=into.pk).update(last_requester_message_at=latest, updated_at=at)
    author = None if isinstance(actor, str) else actor
    ticket_note(
        into,
        author=author,
        at=at,
        body=(
            f"Merged #{duplicate.pk} “{duplicate.subject}” into this ticket "
            f"({moved} message{'s' if moved != 1 else ''} moved)."
        ),
    )
    ticket_note(
        duplicate,
        author=author,
        at=at,
        body=f"Merged into #{into.pk} “{into.subject}”.",
        announce=False,
    )
    ticket_set_status(duplicate, Status.CLOSED, actor=actor, at=at, force=True)
    Ticket.objects.filter(pk=duplicate.pk).update(merged_into=into)
    duplicate.merged_into = into
    if waiting and into.status in (Status.PENDING, Status.SOLVED):
        into = ticket_set_status(into, Status.OPEN, actor=actor, at=at, force=True)
    record(
        actor,
        "ticket.merged",
        duplicate,
        ticket=duplicate,
        at=at,
        after={"into": into.pk, "messages": moved},
    )
    record(
        actor,
        "ticket.merged_in",
        into,
        ticket=into,
        at=at,
        after={"from": duplicate.pk, "messages": moved},
    )
    tickets_index([duplicate.pk, into.pk])  # the messages moved with their words
    into.refresh_from_db()
    return into
