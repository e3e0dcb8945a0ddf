"""Writes about people: working hours, holiday country and time off.

Time off never changes the schedule by itself: it flags the shifts that
collide and proposes swap partners; the person then asks one of them
(swap_request) or a lead swaps them directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from herodesk.audit.log import record
from herodesk.domain import schedule as engine
from herodesk.domain.business_hours import Calendar, CalendarError
from herodesk.lib.errors import Conflict, Invalid
from herodesk.rotations import queries
from herodesk.rotations.common import iso, now_or, require_interval, user_of
from herodesk.rotations.models import TimeOff
from herodesk.teams.models import Membership, Person, Team

MAX_TIME_OFF = timedelta(days=366)
# Enough history for "fewest shifts in the last 90 days" and adjacency checks.
LOOKBACK = timedelta(days=90)
MARGIN = timedelta(days=120)


@dataclass(frozen=True)
class ShiftConflict:
    """A shift of the person that collides with their time off."""

    team: Team
    shift: engine.Shift
    partners: list[str]


def _hours_snapshot(p: Person) -> dict[str, Any]:
    return {
        "time_zone": p.time_zone,
        "hours": p.hours,
        "holiday_country": p.holiday_country,
        "holiday_subdivision": p.holiday_subdiv,
    }


@transaction.atomic
def person_set_hours(
    person: Person,
    *,
    actor: Any,
    time_zone: str | None = None,
    hours: dict[str, Any] | None = None,
    holiday_country: str | None = None,
    holiday_subdiv: str | None = None,
) -> Person:
    """Change a person's time zone, weekly working hours and holiday country."""
    tz = time_zone if time_zone is not None else person.time_zone
    spec = hours if hours is not None else person.hours
    country = holiday_country if holiday_country is not None else person.holiday_country
    subdiv = holiday_subdiv if holiday_subdiv is not None else person.holiday_subdiv
    try:
        cal = Calendar.from_spec(tz, spec, country or None, subdiv or None)
    except CalendarError as exc:
        name = str(exc).split(":", 1)[0].split(".", 1)[0]
        field = {"holiday_country": "holiday_country"}.get(name, name)
        raise Invalid(str(exc), field=field) from None
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    before = _hours_snapshot(person)
    person.time_zone, person.hours = tz, cal.to_spec()
    person.holiday_country, person.holiday_subdiv = (country or "").upper(), subdiv or ""
    person.save(update_fields=["time_zone", "hours", "holiday_country", "holiday_subdiv"])
    after = _hours_snapshot(person)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        record(
            actor,
            "person.hours_updated",
            person,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return person


def conflicts_for(
    person: Person, start: datetime, end: datetime, now: datetime
) -> list[ShiftConflict]:
    """Shifts of `person` colliding with [start, end), each with swap partners
    (same team, not adjacent to their own shift, fewest recent shifts first)."""
    username = person.user.username
    teams = list(Team.objects.filter(memberships__person=person).order_by("name"))
    window_start = min(now, start) - LOOKBACK - MARGIN
    loaded = queries.load(teams, window_start, end + MARGIN)
    members: dict[int, list[str]] = {}
    for team_id, name in (
        Membership.objects.filter(team__in=teams, person__user__is_active=True)
        .values_list("team_id", "person__user__username")
        .order_by("person__user__username")
    ):
        members.setdefault(team_id, []).append(name)
    out = []
    for team in teams:
        schedule = loaded.schedules[team.pk]
        for piece in engine.shifts_colliding(schedule, username, start, end):
            shift = schedule.who(piece.start)  # the whole shift, not the colliding part
            partners = engine.propose_swap_partners(
                schedule, members.get(team.pk, []), username, shift, now, lookback=LOOKBACK
            )
            out.append(ShiftConflict(team, shift, list(partners)))
    return out


@transaction.atomic
def time_off_create(
    person: Person,
    start: datetime,
    end: datetime,
    actor: Any,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> tuple[TimeOff, list[ShiftConflict]]:
    """Mark [start, end) unavailable; returns the row and the colliding shifts."""
    at = now_or(now)
    start, end = require_interval(start, end, MAX_TIME_OFF)
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    clash = TimeOff.objects.filter(person=person, start__lt=end, end__gt=start).first()
    if clash is not None:
        raise Conflict(
            f"overlaps time off #{clash.pk} ({clash.start.isoformat()} → "
            f"{clash.end.isoformat()}); change that one instead",
            field="start",
        )
    row = TimeOff.objects.create(
        person=person,
        start=start,
        end=end,
        reason=(reason or "").strip()[:300],
        created_at=at,
        created_by=user_of(actor),
    )
    conflicts = conflicts_for(person, start, end, at)
    record(
        actor,
        "time_off.created",
        row,
        at=at,
        after={
            "person": person.user.username,
            "start": iso(start),
            "end": iso(end),
            "reason": row.reason,
            "colliding_shifts": len(conflicts),
        },
    )
    return row, conflicts


@transaction.atomic
def time_off_delete(row: TimeOff, actor: Any) -> None:
    record(
        actor,
        "time_off.deleted",
        row,
        before={
            "person": row.person.user.username,
            "start": iso(row.start),
            "end": iso(row.end),
            "reason": row.reason,
        },
    )
    row.delete()


def validate_username(username: str, field: str = "person") -> Person:
    person = (
        Person.objects.select_related("user")
        .filter(user__username=username, user__is_active=True)
        .first()
    )
    if person is None:
        raise Invalid(f"unknown person {username!r}", field=field)
    return person
