"""A small, varied history for report tests: a weekly rotation with an override
and tickets across channels, tiers, nights, weekends, pauses and solves, all
made through the actions (as the desk makes them)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from herodesk.audit.models import Event
from herodesk.domain import reports as d
from herodesk.reports import queries
from herodesk.rotations import actions as rotation_actions
from herodesk.tickets import actions
from herodesk.tickets.models import Status, Ticket

START = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday, hand-off 09:00 London (GMT)
CHANNELS = ["email", "slack", "github", "sentry", "api"]


def z(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def rotation(team: Any, heroes: list[Any], cover: Any) -> None:
    rotation_actions.rotation_set(
        team, members=[h.person for h in heroes], start=START, actor="test", now=START
    )
    rotation_actions.override_create(  # cover takes Wednesday–Thursday noon of the first week
        team,
        person=cover.person,
        start=START + timedelta(days=2, hours=3),
        end=START + timedelta(days=3, hours=3),
        actor="test",
        now=START,
        notify=False,
    )


def history(team: Any, hero: Any, n: int = 48, seed: int = 7) -> list[Ticket]:
    """n tickets over three weeks from START, each with its own fate, and two
    during the override."""
    rng = random.Random(seed)
    later = random.Random(seed + 1)  # what happens after: its own draws, so the rest stays
    made = []
    for i in range(n):
        day = rng.randrange(0, 21)
        hours = rng.uniform(-2, 10) if rng.random() < 0.8 else rng.uniform(-9, 15)
        at = START + timedelta(days=day, hours=hours)  # mostly around working hours
        t = actions.ticket_create(
            subject=f"Question {i}",
            body="Hello",
            actor="test",
            team=team,
            channel=rng.choice(CHANNELS),
            tier=rng.choice([0, 2, 3, 5]),
            created_at=at,
        )
        fate = rng.random()
        cursor = at
        if fate < 0.15:  # pending before the first reply (paused clock), then answered
            cursor += timedelta(minutes=rng.randrange(1, 90))
            actions.ticket_set_status(t, Status.PENDING, actor=hero, at=cursor)
            cursor += timedelta(minutes=rng.randrange(1, 600))
            actions.ticket_set_status(t, Status.OPEN, actor=hero, at=cursor)
        # GitHub issues and alerts are answered at the source (issue 11): the
        # reply reaches the ticket mirrored, and still stops the clock.
        at_source = {"mirrored_from": t.channel} if t.channel in ("github", "sentry") else {}
        if fate < 0.8:
            cursor += timedelta(minutes=rng.choice([3, 14, 40, 200, 900, 3000]))
            actions.ticket_reply(t, author=hero, body="On it", at=cursor, metadata=at_source)
        if 0.3 < fate < 0.9:
            cursor += timedelta(minutes=rng.randrange(5, 5000))
            actions.ticket_set_status(t, Status.SOLVED, actor=hero, at=cursor, force=True)
            if later.random() < 0.35:  # the requester writes again: reopened, answered, solved
                cursor += timedelta(hours=later.randrange(2, 60))
                actions.ticket_requester_message(t, body="Still broken", at=cursor)
                if later.random() < 0.7:
                    cursor += timedelta(minutes=later.choice([5, 30, 240, 2000]))
                    actions.ticket_reply(
                        t, author=hero, body="Fixed now", at=cursor, metadata=at_source
                    )
                    cursor += timedelta(hours=later.randrange(1, 30))
                    actions.ticket_set_status(t, Status.SOLVED, actor=hero, at=cursor)
        elif fate < 0.8 and later.random() < 0.4:  # answered, then a follow-up question
            cursor += timedelta(minutes=later.randrange(10, 3000))
            actions.ticket_requester_message(t, body="One more thing", at=cursor)
            cursor += timedelta(minutes=later.choice([3, 50, 700]))
            actions.ticket_reply(t, author=hero, body="Sure", at=cursor, metadata=at_source)
        made.append(t)
    for hours in (53, 72):  # two arrivals while the cover (the override) is on
        at = START + timedelta(hours=hours)
        t = actions.ticket_create(
            subject="Covered", body="Hi", actor="test", team=team, created_at=at
        )
        actions.ticket_reply(t, author=hero, body="Hi", at=at + timedelta(minutes=12))
        made.append(t)
    return made


def facts(t: Ticket) -> d.TicketFacts:
    return d.TicketFacts(
        created_at=t.created_at,
        first_response_at=t.first_response_at,
        first_response_minutes=t.first_response_minutes,
        first_response_grade=t.first_response_grade,
        breached=t.breached,
        solved_at=t.solved_at,
        closed_at=t.closed_at,
        resolution_minutes=t.resolution_minutes,
        next_replies=t.next_replies,
        next_reply_minutes=t.next_reply_minutes,
        next_reply_calendar_minutes=t.next_reply_calendar_minutes,
        late_after=t.late_after,
        paused=t.sla_paused_at is not None,
    )


def reopened_gaps(tickets: list[Ticket]) -> dict[int, list[d.Gap]]:
    """Per ticket, the [solve, reopening) spans read from the audit log's status
    changes (not from the Reopening rows the report reads)."""
    gaps: dict[int, list[d.Gap]] = defaultdict(list)
    events = Event.objects.filter(ticket__in=tickets).order_by("created_at", "id")
    solved: dict[int, datetime] = {}
    for e in events:
        status = e.after.get("status")
        if status == Status.SOLVED:
            solved[e.ticket_id] = e.created_at
        elif status in (Status.NEW, Status.OPEN, Status.PENDING) and e.ticket_id in solved:
            gaps[e.ticket_id].append((solved.pop(e.ticket_id), e.created_at))
    return gaps


def recomputed(
    team: Any, start: datetime, end: datetime, group_by: str, now: datetime
) -> dict[str, d.Row]:
    """The report recomputed in Python from the tickets with the domain's definitions."""
    tickets = list(Ticket.objects.filter(team=team, merged_into__isnull=True))
    gaps = reopened_gaps(tickets)
    every = [(t.created_at, d.resolved_at(t.solved_at, t.closed_at), gaps[t.pk]) for t in tickets]
    cohort = [t for t in tickets if start <= t.created_at < end]
    groups: dict[str, list[Ticket]] = defaultdict(list)
    if group_by in ("week", "hero_week"):
        part = queries.periods(team, start, end, group_by)
        for t in cohort:
            groups[part.period_at(t.created_at).key].append(t)  # type: ignore[union-attr]
        return {
            p.key: d.row([facts(t) for t in groups[p.key]], d.backlog(every, min(p.end, now)), now)
            for p in part.periods
        }
    for t in cohort:
        groups[str(getattr(t, group_by))].append(t)
    out = {}
    for key in groups | {str(getattr(t, group_by)): [] for t in tickets}:
        mine = [
            (t.created_at, d.resolved_at(t.solved_at, t.closed_at), gaps[t.pk])
            for t in tickets
            if str(getattr(t, group_by)) == key
        ]
        row = d.row([facts(t) for t in groups.get(key, [])], d.backlog(mine, min(end, now)), now)
        if row.created or row.backlog_end:
            out[key] = row
    return out
