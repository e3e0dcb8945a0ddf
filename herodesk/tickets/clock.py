"""The response clock on a ticket: start, pause, resume, stop. No saving here.

A clock runs from the first unanswered requester message (first response, or
next reply) until a public reply. While the ticket is pending it is paused and
the working time spent paused pushes the due times later.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from herodesk.tickets import sla
from herodesk.tickets.models import NO_DUE, SlaKind, Ticket


def _apply_due(ticket: Ticket) -> None:
    assert ticket.sla_started_at is not None
    paused = timedelta(seconds=ticket.sla_paused_seconds)
    due = sla.due(ticket.team, ticket.tier, ticket.sla_started_at, paused)
    ticket.great_by, ticket.due_by, ticket.late_after = due.great_by, due.due_by, due.late_after
    ticket.sort_due = ticket.due_by


def start(ticket: Ticket, kind: SlaKind, at: datetime) -> None:
    """Start a clock unless one is already running (the oldest message counts)."""
    if ticket.sla_started_at is not None:
        return
    ticket.sla_kind = kind
    ticket.sla_started_at = at
    ticket.sla_paused_at = None
    ticket.sla_paused_seconds = 0
    _apply_due(ticket)


def recompute(ticket: Ticket) -> None:
    """Recompute due times after a tier or team change."""
    if ticket.sla_started_at is not None:
        _apply_due(ticket)


def pause(ticket: Ticket, at: datetime) -> None:
    if ticket.sla_started_at is not None and ticket.sla_paused_at is None:
        ticket.sla_paused_at = at


def resume(ticket: Ticket, at: datetime) -> None:
    if ticket.sla_started_at is None or ticket.sla_paused_at is None:
        return
    calendar = sla.calendar_of(ticket.team)
    paused = calendar.between(ticket.sla_paused_at, at)
    ticket.sla_paused_seconds += int(paused.total_seconds())
    ticket.sla_paused_at = None
    _apply_due(ticket)


def minutes_taken(ticket: Ticket, at: datetime) -> float | None:
    """Working minutes the running clock has taken at `at`, pauses excluded
    (None when no clock runs): what reports store for a first response."""
    if ticket.sla_started_at is None:
        return None
    calendar = sla.calendar_of(ticket.team)
    paused = timedelta(seconds=ticket.sla_paused_seconds)
    if ticket.sla_paused_at is not None:
        paused += calendar.between(ticket.sla_paused_at, at)
    taken = calendar.between(ticket.sla_started_at, at) - paused
    return max(taken, timedelta(0)) / timedelta(minutes=1)


def stop(ticket: Ticket, at: datetime) -> str:
    """Stop the running clock at a public reply; returns the grade ('' if none ran)."""
    if ticket.sla_started_at is None:
        return ""
    resume(ticket, at)
    paused = timedelta(seconds=ticket.sla_paused_seconds)
    grade = sla.grade(ticket.team, ticket.tier, ticket.sla_started_at, at, paused)
    if grade == "too_late":  # graded in working time, like the response itself
        ticket.breached = True
    ticket.sla_kind = ""
    ticket.sla_started_at = None
    ticket.sla_paused_at = None
    ticket.sla_paused_seconds = 0
    ticket.great_by = ticket.due_by = ticket.late_after = None
    ticket.sort_due = NO_DUE
    return grade
