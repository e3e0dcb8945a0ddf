"""Every write to tickets goes through a function here (`ticket_<verb>`).

Each runs in one transaction, records an audit event and sends its signal
inside the transaction, so receivers can enqueue work that commits with it.
Views, the API, intake channels, Slack and the CLI all call these.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.core.prepared import insert
from herodesk.domain.tiers import Tier, derive_tier
from herodesk.errors import Conflict, Invalid
from herodesk.tickets import clock, signals
from herodesk.tickets.models import (
    ACTIVE_STATUSES,
    Channel,
    Message,
    MessageKind,
    SlaKind,
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
REPLY_REQUIRED = {Tier.HIGH, Tier.NORMAL}


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
    """Open a ticket with the requester's first message and start its clock."""
    at = _now(created_at)
    if not (body or "").strip():
        raise Invalid("body must not be empty", field="body")
    plan = requester.organization.plan if requester and requester.organization_id else None
    derived = derive_tier(channel, plan, escalated=escalated)
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
    insert(ticket)
    message = _requester_message(
        ticket, requester, body, at, body_html, original, message_external_id, None
    )
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
def ticket_reply(
    ticket: Ticket,
    *,
    author: Any,
    body: str,
    at: datetime | None = None,
    status: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> Message:
    """A public reply to the requester: stops the clock and grades the response."""
    at = _now(at)
    if not (body or "").strip():
        raise Invalid("body must not be empty", field="body")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Status.CLOSED:
        raise Conflict(
            f"ticket #{ticket.pk} is closed; a new message from the requester opens a follow-up"
        )
    before = _snapshot(ticket, ("status", "first_response_at", "first_response_grade"))
    kind = ticket.sla_kind
    grade = clock.stop(ticket, at)
    if ticket.first_response_at is None:
        ticket.first_response_at = at
        ticket.first_response_grade = grade or "great"
    if ticket.status == Status.NEW:
        _set_status(ticket, Status.OPEN, at)
    ticket.updated_at = at
    ticket.save()
    message = Message.objects.create(
        ticket=ticket,
        kind=MessageKind.PUBLIC,
        author=author,
        body=body,
        created_at=at,
        metadata={**(metadata or {}), **({"grade": grade, "clock": kind} if grade else {})},
    )
    record(
        author,
        "ticket.replied",
        ticket,
        ticket=ticket,
        at=at,
        before=before,
        after={
            **_snapshot(ticket, ("status", "first_response_at", "first_response_grade")),
            "message": message.pk,
            "grade": grade,
        },
    )
    signals.message_added.send(Ticket, ticket=ticket, message=message, actor=author)
    if before["status"] != ticket.status:
        signals.status_changed.send(
            Ticket, ticket=ticket, before=before["status"], after=ticket.status, actor=author
        )
    if status and status != ticket.status:
        ticket_set_status(ticket, status, actor=author, at=at)
    return message


@transaction.atomic
def ticket_note(
    ticket: Ticket,
    *,
    author: Any,
    body: str,
    at: datetime | None = None,
    metadata: dict[str, Any] | None = None,
) -> Message:
    """An internal note: never shown to the requester, never stops a clock."""
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
    record(author, "ticket.noted", ticket, ticket=ticket, at=at, after={"message": message.pk})
    signals.message_added.send(Ticket, ticket=ticket, message=message, actor=author)
    return message


@transaction.atomic
def ticket_set_status(
    ticket: Ticket, status: str, *, actor: Any, at: datetime | None = None, force: bool = False
) -> Ticket:
    """Move a ticket along new → open → pending → solved → closed.

    `force` is for jobs and bridges mirroring another system (Zendesk,
    Sentry, GitHub); it skips the public-reply rule but not the closed rule.
    """
    at = _now(at)
    if status not in Status.values:
        raise Invalid(
            f"unknown status {status!r}; one of {', '.join(Status.values)}", field="status"
        )
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = ticket.status
    if status == before:
        return ticket
    if before == Status.CLOSED:
        raise Conflict(f"ticket #{ticket.pk} is closed and cannot change status")
    if status not in TRANSITIONS[before] and not (force and status != Status.NEW):
        raise Conflict(f"cannot change a {before} ticket to {status}")
    if (
        status == Status.SOLVED
        and not force
        and ticket.first_response_at is None
        and Tier(ticket.tier) in REPLY_REQUIRED
    ):
        raise Conflict(
            f"a {Tier(ticket.tier).label.lower()}-tier requester must get a public "
            "reply before the ticket is solved"
        )
    if status == Status.PENDING:
        clock.pause(ticket, at)
    elif before == Status.PENDING:
        clock.resume(ticket, at)
    if status in (Status.SOLVED, Status.CLOSED):
        clock.stop(ticket, at)
    _set_status(ticket, status, at)
    ticket.updated_at = at
    ticket.save()
    record(
        actor,
        "ticket.status",
        ticket,
        ticket=ticket,
        at=at,
        before={"status": before},
        after={"status": status},
    )
    signals.status_changed.send(Ticket, ticket=ticket, before=before, after=status, actor=actor)
    return ticket


@transaction.atomic
def ticket_assign(
    ticket: Ticket, assignee: Any, *, actor: Any, note: str = "", at: datetime | None = None
) -> Ticket:
    """Assign (or unassign with None); claiming is assigning to yourself."""
    at = _now(at)
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=ticket.pk)
    )
    if ticket.status == Status.CLOSED:
        raise Conflict(f"ticket #{ticket.pk} is closed")
    if assignee is not None and not assignee.is_active:
        raise Invalid(f"{assignee.get_username()} is not an active user", field="assignee")
    before = ticket.assignee
    if (before.pk if before else None) == (assignee.pk if assignee else None):
        return ticket
    ticket.assignee = assignee
    ticket.updated_at = at
    ticket.save(update_fields=["assignee", "updated_at"])
    record(
        actor,
        "ticket.assigned",
        ticket,
        ticket=ticket,
        at=at,
        before={"assignee": before.get_username() if before else None},
        after={"assignee": assignee.get_username() if assignee else None, "note": note},
    )
    if note:
        ticket_note(ticket, author=actor if not isinstance(actor, str) else None, body=note, at=at)
    signals.assignee_changed.send(
        Ticket, ticket=ticket, before=before, after=assignee, actor=actor, note=note
    )
    return ticket


@transaction.atomic
def ticket_set_tier(ticket: Ticket, tier: int, *, actor: Any, at: datetime | None = None) -> Ticket:
    """A person overrides the derived tier; the running clock uses the new targets."""
    try:
        new_tier = Tier(tier)
    except ValueError:
        raise Invalid(f"tier must be 0–5, got {tier!r}", field="tier") from None
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = ticket.tier
    ticket.tier = int(new_tier)
    ticket.tier_overridden = True
    clock.recompute(ticket)
    ticket.updated_at = _now(at)
    ticket.save()
    record(
        actor,
        "ticket.tier",
        ticket,
        ticket=ticket,
        at=ticket.updated_at,
        before={"tier": before},
        after={"tier": int(new_tier)},
    )
    return ticket


@transaction.atomic
def ticket_set_team(ticket: Ticket, team: Any, *, actor: Any, at: datetime | None = None) -> Ticket:
    """Move a ticket to another team's queue (or to unrouted with None)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = ticket.team_id
    if before == (team.pk if team else None):
        return ticket
    ticket.team = team
    clock.recompute(ticket)
    ticket.updated_at = _now(at)
    ticket.save()
    record(
        actor,
        "ticket.team",
        ticket,
        ticket=ticket,
        at=ticket.updated_at,
        before={"team": before},
        after={"team": team.pk if team else None},
    )
    return ticket


def tickets_close_solved(now: datetime | None = None, default_days: int | None = None) -> int:
    """Close tickets solved more than N days ago (per team, else the setting)."""
    now = _now(now)
    days = default_days or settings.HERODESK_AUTO_CLOSE_DAYS
    closed = 0
    candidates = Ticket.objects.filter(
        status=Status.SOLVED, solved_at__lt=now - timedelta(days=1)
    ).select_related("team")
    for ticket in candidates.iterator():
        limit = ticket.team.auto_close_days if ticket.team and ticket.team.auto_close_days else days
        if ticket.solved_at and ticket.solved_at <= now - timedelta(days=limit):
            try:
                ticket_set_status(ticket, Status.CLOSED, actor="system", at=now)
            except Conflict:  # reopened by the requester since we read it
                continue
            closed += 1
    return closed
