"""Public replies: claim on reply, @mentions, response clocks."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from herodesk.audit.log import record
from herodesk.domain import reports
from herodesk.lib.errors import Conflict, Invalid
from herodesk.teams import access
from herodesk.tickets import clock, signals, sla
from herodesk.tickets.actions._common import _now, _set_status, _snapshot, announce_mentions
from herodesk.tickets.actions.index import tickets_index
from herodesk.tickets.actions.note import ticket_note
from herodesk.tickets.actions.status import ticket_assign, ticket_set_status
from herodesk.tickets.answer import answer_for
from herodesk.tickets.models import (
    Message,
    MessageKind,
    Status,
    Ticket,
)


@transaction.atomic
def ticket_reply(
    ticket: Ticket,
    *,
    author: Any,
    body: str,
    at: datetime | None = None,
    status: str | None = None,
    metadata: dict[str, Any] | None = None,
    follow_up: bool = False,
) -> Message:
    """A public reply to the requester: stops the clock and grades the response.

    `follow_up` (a "Looking into it" macro): remind the author after
    HERODESK_FOLLOW_UP_WORKING_HOURS of the team's working time; any other
    public reply clears a follow-up that was waiting.

    The reply follows the channel (tickets.answer): a ticket whose channel is
    answered elsewhere (a community question, GitHub without a token, an alert
    nobody asked) refuses it with Conflict naming where to answer. Replies
    mirrored from the source (`metadata.mirrored_from`) were said there already.
    The decision is kept on the message (`metadata.answer`)."""
    at = _now(at)
    if not (body or "").strip():
        raise Invalid("body must not be empty", field="body")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Status.CLOSED:
        raise Conflict(
            f"ticket #{ticket.pk} is closed; a new message from the requester opens a follow-up"
        )
    mirrored = bool((metadata or {}).get("mirrored_from"))
    answer = answer_for(ticket)
    if not mirrored and not answer.public:
        raise Conflict(f"#{ticket.pk}: {answer.refusal}", field="body")
    route = {"transport": "source" if mirrored else str(answer.transport)}
    route["where"] = "at the source" if mirrored else answer.where
    before = _snapshot(ticket, ("status", "first_response_at", "first_response_grade"))
    kind = ticket.sla_kind
    started = ticket.sla_started_at
    taken = clock.minutes_taken(ticket, at)
    grade = clock.stop(ticket, at)
    if ticket.first_response_at is None:
        ticket.first_response_at = at
        ticket.first_response_grade = grade or "great"
        ticket.first_response_minutes = taken or 0.0  # no clock ran: nothing was waiting
        ticket.first_response_calendar_minutes = reports.calendar_minutes(ticket.created_at, at)
        ticket.first_response_bucket = reports.bucket(ticket.first_response_minutes)
        ticket.first_response_calendar_bucket = reports.bucket(
            ticket.first_response_calendar_minutes
        )
    elif taken is not None and started is not None:  # a next reply (a clock ran):
        ticket.next_replies += 1
        ticket.next_reply_minutes += taken  # working minutes, pauses excluded
        ticket.next_reply_calendar_minutes += reports.calendar_minutes(started, at)
    if ticket.status == Status.NEW:
        _set_status(ticket, Status.OPEN, at)
    if not mirrored:
        _set_follow_up(ticket, author if follow_up else None, at)
    ticket.updated_at = at
    ticket.save()
    message = Message.objects.create(
        ticket=ticket,
        kind=MessageKind.PUBLIC,
        author=author,
        body=body,
        created_at=at,
        metadata={
            **(metadata or {}),
            **({"grade": grade, "clock": kind} if grade else {}),
            "answer": route,
        },
    )
    tickets_index([ticket.pk])
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
    announce_mentions(ticket, message, author)
    if _claims(ticket, author, metadata):  # a person answering an unassigned ticket takes it
        ticket_assign(ticket, author, actor=author, at=at)
    if status and status != ticket.status:
        ticket_set_status(ticket, status, actor=author, at=at)
    return message


def _set_follow_up(ticket: Ticket, author: Any, at: datetime) -> None:
    """Remind `author` after the configured working time (None: clear)."""
    if author is None or isinstance(author, str):
        ticket.follow_up_at, ticket.follow_up_user = None, None
        return
    hours = timedelta(hours=settings.HERODESK_FOLLOW_UP_WORKING_HOURS)
    ticket.follow_up_at = sla.calendar_of(ticket.team).add(at, hours)
    ticket.follow_up_user = author


def _claims(ticket: Ticket, author: Any, metadata: dict[str, Any] | None) -> bool:
    if author is None or isinstance(author, str) or (metadata or {}).get("mirrored_from"):
        return False
    # Only someone the ticket may go to claims it (a member of its team).
    return ticket.assignee_id is None and access.is_assignable(author, ticket.team)


@transaction.atomic
def ticket_mark_answered(ticket: Ticket, *, actor: Any, at: datetime | None = None) -> Ticket:
    """The hero answered at the source (on GitHub, on the community page): an
    internal note saying so, and the ticket is solved. Refused when a public
    reply from the desk is possible (then reply instead)."""
    at = _now(at)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    answer = answer_for(ticket)
    if answer.public:
        raise Conflict(
            f"#{ticket.pk} can be answered from the desk ({answer.where}): reply instead"
        )
    where = answer.link_url or "the source"
    ticket_note(
        ticket,
        author=actor,
        body=f"Answered at the source: {where}",
        at=at,
        metadata={"answered_at_source": where},
    )
    if ticket.status != Status.SOLVED:
        ticket = ticket_set_status(ticket, Status.SOLVED, actor=actor, at=at)
    return ticket
