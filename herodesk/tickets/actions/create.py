"""Creating tickets and adding requester messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from herodesk.audit.log import record
from herodesk.domain.tiers import Tier, derive_tier
from herodesk.lib import channels
from herodesk.lib.errors import Conflict, Invalid
from herodesk.lib.prepared import insert
from herodesk.teams import access
from herodesk.tickets import clock, signals
from herodesk.tickets.actions._common import _now, _set_status, _snapshot, _validate_subject
from herodesk.tickets.actions.index import tickets_index, tickets_index_new
from herodesk.tickets.models import (
    Channel,
    Message,
    MessageKind,
    SlaKind,
    Status,
    Ticket,
)


def _requester_message(
    ticket: Ticket,
    requester: Any,
    body: str,
    at: datetime,
    body_html: str,
    original: str,
    external_id: str,
    metadata: dict[str, Any] | None,
) -> Message:
    """Store what the requester wrote on the ticket (the callers own the transaction)."""
    return insert(
        Message(
            ticket=ticket,
            kind=MessageKind.REQUESTER,
            requester=requester,
            body=body,
            body_html=body_html,
            original=original,
            created_at=at,
            external_id=external_id,
            metadata=metadata or {},
        )
    )


def _require_new_ref(channel: str, external_ref: str) -> None:
    if not external_ref:
        return
    first = Ticket.objects.filter(channel=channel, external_ref=external_ref).values("pk").first()
    if first is not None:
        raise Conflict(
            f"ticket #{first['pk']} already mirrors {channel} item {external_ref!r}",
            field="external_ref",
        )


@transaction.atomic
def ticket_create(
    *,
    subject: str,
    body: str,
    actor: Any,
    channel: str = Channel.API,
    team: Any = None,
    requester: Any = None,
    tier: int | None = None,
    created_at: datetime | None = None,
    assignee: Any = None,
    external_ref: str = "",
    external_url: str = "",
    metadata: dict[str, Any] | None = None,
    body_html: str = "",
    original: str = "",
    message_external_id: str = "",
    escalated: bool = False,
) -> Ticket:
    """Open a ticket with the requester's first message and start its clock.

    The assignee must be a member of `team` (docs/permissions.md); a second
    ticket with the same (channel, external_ref) is a Conflict naming the first.
    """
    at = _now(created_at)
    if not (body or "").strip():
        raise Invalid("body must not be empty", field="body")
    access.require_assignable(assignee, team)
    _require_new_ref(channel, external_ref)
    plan = requester.organization.plan if requester and requester.organization_id else None
    derived = derive_tier(channels.fixed_tier(channel), plan, escalated=escalated)
    ticket = Ticket(
        team=team,
        channel=channel,
        subject=_validate_subject(subject),
        requester=requester,
        assignee=assignee,
        tier=int(derived if tier is None else Tier(tier)),
        tier_overridden=tier is not None and Tier(tier) != derived,
        created_at=at,
        updated_at=at,
        last_requester_message_at=at,
        external_ref=external_ref,
        external_url=external_url,
        metadata=metadata or {},
    )
    _set_status(ticket, Status.NEW, at)
    clock.start(ticket, SlaKind.FIRST_RESPONSE, at)
    try:
        with transaction.atomic():
            insert(ticket)
    except IntegrityError:  # the same reference created concurrently
        _require_new_ref(channel, external_ref)
        raise
    message = _requester_message(
        ticket, requester, body, at, body_html, original, message_external_id, None
    )
    tickets_index_new(ticket.pk)
    record(
        actor,
        "ticket.created",
        ticket,
        ticket=ticket,
        at=at,
        after=_snapshot(ticket, ("team_id", "channel", "tier", "status", "subject")),
    )
    signals.ticket_created.send(Ticket, ticket=ticket, message=message, actor=actor)
    return ticket


@transaction.atomic
def ticket_requester_message(
    ticket: Ticket,
    *,
    body: str,
    actor: Any = None,
    requester: Any = None,
    at: datetime | None = None,
    body_html: str = "",
    original: str = "",
    external_id: str = "",
    metadata: dict[str, Any] | None = None,
) -> tuple[Ticket, Message]:
    """A requester wrote again: reopen pending/solved; on a closed ticket, open a follow-up.

    Returns the ticket the message landed on (the follow-up when one was made).
    """
    at = _now(at)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    requester = requester or ticket.requester
    if ticket.status == Status.CLOSED:
        follow_up = ticket_create(
            subject=f"Follow-up: {ticket.subject}",
            body=body,
            actor=actor or "requester",
            channel=ticket.channel,
            team=ticket.team,
            requester=requester,
            tier=ticket.tier if ticket.tier_overridden else None,
            created_at=at,
            metadata={**ticket.metadata, "follow_up_of": ticket.pk},
            body_html=body_html,
            original=original,
            message_external_id=external_id,
        )
        follow_up.follow_up_of = ticket
        follow_up.save(update_fields=["follow_up_of"])
        record(
            actor or "requester",
            "ticket.follow_up",
            ticket,
            ticket=ticket,
            at=at,
            after={"follow_up": follow_up.pk},
        )
        return follow_up, follow_up.messages.get()
    before = ticket.status
    if ticket.status in (Status.PENDING, Status.SOLVED):
        clock.resume(ticket, at)
        _set_status(ticket, Status.OPEN, at)
    clock.start(ticket, SlaKind.NEXT_REPLY, at)
    ticket.last_requester_message_at = at
    ticket.updated_at = at
    ticket.save()
    message = _requester_message(
        ticket, requester, body, at, body_html, original, external_id, metadata
    )
    tickets_index([ticket.pk])
    record(
        actor or "requester",
        "ticket.requester_message",
        ticket,
        ticket=ticket,
        at=at,
        before={"status": before},
        after={"status": ticket.status, "message": message.pk},
    )
    signals.message_added.send(Ticket, ticket=ticket, message=message, actor=actor)
    if before != ticket.status:
        signals.status_changed.send(
            Ticket, ticket=ticket, before=before, after=ticket.status, actor=actor
        )
    return ticket, message


@transaction.atomic
def ticket_message_from_new_address(
    ticket: Ticket,
    *,
    body: str,
    actor: Any = None,
    requester: Any = None,
    at: datetime | None = None,
    body_html: str = "",
    original: str = "",
    external_id: str = "",
    metadata: dict[str, Any] | None = None,
) -> tuple[Ticket, Message]:
    """Mail on the ticket's thread from an address that is not part of it.

    Kept on the ticket and flagged "from a new address" (the message's
    `new_address`, the ticket's `new_address_senders`), but it changes nothing
    else: no reopening, no response clock, never the requester's message.
    """
    at = _now(at)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    flagged = {**(metadata or {}), "new_address": True}
    message = _requester_message(
        ticket, requester, body, at, body_html, original, external_id, flagged
    )
    tickets_index([ticket.pk])
    sender = (requester.email or "").lower() if requester is not None else ""
    senders = list((ticket.metadata or {}).get("new_address_senders") or [])
    if sender and sender not in senders:
        senders.append(sender)
    ticket.metadata = {**(ticket.metadata or {}), "new_address_senders": senders}
    ticket.updated_at = max(ticket.updated_at, at)
    ticket.save(update_fields=["metadata", "updated_at"])
    record(
        actor or "email",
        "ticket.message_from_new_address",
        ticket,
        ticket=ticket,
        at=at,
        after={"message": message.pk, "from": sender},
    )
    signals.message_added.send(Ticket, ticket=ticket, message=message, actor=actor)
    return ticket, message
