"""Status, assignee, tier, team and subject changes; closing solved tickets."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from herodesk.audit.log import record
from herodesk.domain.tiers import REPLY_REQUIRED, TIER_RANGE, Tier, parse_tier
from herodesk.lib.errors import Conflict, Invalid
from herodesk.teams import access
from herodesk.teams.models import Team
from herodesk.tickets import clock, signals
from herodesk.tickets.actions._common import TRANSITIONS, _now, _set_status, _validate_subject
from herodesk.tickets.actions.index import tickets_index
from herodesk.tickets.actions.note import ticket_note
from herodesk.tickets.models import (
    Status,
    Ticket,
)


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
        Ticket.objects.select_for_update(of=("self",))
        .select_related("assignee", "team")
        .get(pk=ticket.pk)
    )
    if ticket.status == Status.CLOSED:
        raise Conflict(f"ticket #{ticket.pk} is closed")
    if assignee is not None and not assignee.is_active:
        raise Invalid(f"{assignee.get_username()} is not an active user", field="assignee")
    access.require_assignable(assignee, ticket.team)
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
        ticket_note(
            ticket,
            author=actor if not isinstance(actor, str) else None,
            body=note,
            at=at,
            announce=False,
        )
    signals.assignee_changed.send(
        Ticket, ticket=ticket, before=before, after=assignee, actor=actor, note=note
    )
    return ticket


@transaction.atomic
def ticket_set_tier(ticket: Ticket, tier: int, *, actor: Any, at: datetime | None = None) -> Ticket:
    """A person overrides the derived tier; the running clock uses the new targets."""
    new_tier = parse_tier(tier)
    if new_tier is None:
        raise Invalid(f"tier must be {TIER_RANGE}, got {tier!r}", field="tier")
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
def ticket_set_subject(
    ticket: Ticket, subject: str, *, actor: Any, at: datetime | None = None
) -> Ticket:
    """Change the subject (a community question's title edited on the site); audited.
    Unchanged after cleaning → nothing is written."""
    subject = _validate_subject(subject)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = ticket.subject
    if subject == before:
        return ticket
    ticket.subject = subject
    ticket.updated_at = _now(at)
    ticket.save(update_fields=["subject", "updated_at"])
    tickets_index([ticket.pk])
    record(
        actor,
        "ticket.subject",
        ticket,
        ticket=ticket,
        at=ticket.updated_at,
        before={"subject": before},
        after={"subject": subject},
    )
    return ticket


@transaction.atomic
def ticket_set_team(ticket: Ticket, team: Any, *, actor: Any, at: datetime | None = None) -> Ticket:
    """Move a ticket to another team's queue (or to unrouted with None).

    An assignee who is not a member of the new team is unassigned with it.
    """
    ticket = Ticket.objects.select_for_update().select_related("assignee").get(pk=ticket.pk)
    before = ticket.team_id
    if before == (team.pk if team else None):
        return ticket
    if ticket.assignee is not None and not access.is_assignable(ticket.assignee, team):
        ticket_assign(ticket, None, actor=actor, at=at)
        ticket.refresh_from_db()
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


@transaction.atomic
def ticket_hand_off(
    ticket: Ticket, to: Any, *, actor: Any, note: str, at: datetime | None = None
) -> Ticket:
    """Give the ticket to `to`; when they are not in its team, the ticket moves to
    their (first) team with them: the one way a ticket crosses teams by hand."""
    ticket = Ticket.objects.select_related("team").get(pk=ticket.pk)
    if ticket.team is not None and not access.is_assignable(to, ticket.team):
        teams = access.team_ids(to)
        if not teams or not hasattr(to, "person"):
            access.require_assignable(to, ticket.team)  # raises: no staff profile / no team
        team = Team.objects.filter(pk__in=teams).order_by("name").first()
        ticket = ticket_set_team(ticket, team, actor=actor, at=at)
    return ticket_assign(ticket, to, actor=actor, note=note, at=at)


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
