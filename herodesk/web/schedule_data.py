"""Reads for the schedule pages, on top of herodesk.rotations.queries:
calendar weeks of a team, a person's shifts as whole runs, their local days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from herodesk.domain import schedule as engine
from herodesk.rotations import queries
from herodesk.teams.models import Person, Team

MAX_WEEKS = 12
HORIZON = timedelta(days=180)


@dataclass
class Run:
    """Contiguous pieces of one person (a shift, possibly partly overridden)."""

    person: str | None
    name: str
    start: datetime
    end: datetime
    sources: set[str] = field(default_factory=set)

    @property
    def is_gap(self) -> bool:
        return self.person is None

    @property
    def has_override(self) -> bool:
        return "override" in self.sources

    def days(self, zone: ZoneInfo) -> list[date]:
        first = self.start.astimezone(zone).date()
        last = (self.end - timedelta(microseconds=1)).astimezone(zone).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def name_of(username: str | None, people: dict[str, Person]) -> str:
    if username is None:
        return "No hero (gap)"
    person = people.get(username)
    return person.display_name if person is not None else username


def runs(pieces: list[engine.Shift], people: dict[str, Person]) -> list[Run]:
    out: list[Run] = []
    for p in pieces:
        if out and out[-1].person == p.person and out[-1].end == p.start:
            out[-1].end = p.end
            out[-1].sources.add(p.source)
        else:
            out.append(Run(p.person, name_of(p.person, people), p.start, p.end, {p.source}))
    return out


@dataclass
class Slot:
    person: str | None
    name: str
    source: str
    start: datetime
    end: datetime
    starts_today: bool
    ends_today: bool


@dataclass
class Day:
    date: date
    slots: list[Slot]
    today: bool
    in_range: bool = True


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The instant (UTC) a local day starts."""
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def calendar_weeks(
    team: Team, first: date, weeks: int, zone: ZoneInfo, now: datetime
) -> tuple[list[list[Day]], list[Run]]:
    """Weeks of days (Monday first) with who is on each, and the runs over them."""
    weeks = max(1, min(MAX_WEEKS, weeks))
    start = local_midnight(first, zone)
    end = local_midnight(first + timedelta(days=7 * weeks), zone)
    loaded = queries.load([team], start, end)
    pieces = loaded.schedules[team.pk].final(start, end)
    today = now.astimezone(zone).date()
    grid: list[list[Day]] = []
    for w in range(weeks):
        row = []
        for d in range(7):
            day = first + timedelta(days=7 * w + d)
            lo, hi = local_midnight(day, zone), local_midnight(day + timedelta(days=1), zone)
            slots = [
                Slot(
                    p.person,
                    name_of(p.person, loaded.people),
                    p.source,
                    p.start.astimezone(zone),
                    p.end.astimezone(zone),
                    p.start > lo,
                    p.end < hi,
                )
                for p in pieces
                if p.start < hi and p.end > lo
            ]
            row.append(Day(day, slots, day == today))
        grid.append(row)
    return grid, runs(queries.whole(loaded.schedules[team.pk], start, end), loaded.people)


def upcoming_runs(
    team: Team, username: str, now: datetime, horizon: timedelta = HORIZON
) -> list[Run]:
    """`username`'s shifts on `team` that have not ended yet (whole runs)."""
    end = now + horizon
    loaded = queries.load([team], now, end)
    pieces = queries.whole(loaded.schedules[team.pk], now, end)
    return [r for r in runs(pieces, loaded.people) if r.person == username and r.end > now]


def run_at(team: Team, username: str, at: datetime) -> Run | None:
    """The run of `username` containing `at` (None when someone else is on)."""
    for run in upcoming_runs(team, username, at - timedelta(days=60)):
        if run.start <= at < run.end:
            return run
    return None


def names(usernames: list[str | None]) -> dict[str, str]:
    people = Person.objects.select_related("user").filter(
        user__username__in=[u for u in usernames if u]
    )
    return {p.user.username: p.display_name for p in people}


def heroes(now: datetime) -> list[tuple[Team, Any, str]]:
    """(team, shift now, hero's display name) for every team (four queries)."""
    shifts = queries.heroes_now(now)
    teams = list(Team.objects.order_by("name"))
    who = names([s.person for s in shifts.values()])
    return [
        (t, shifts[t.slug], who.get(shifts[t.slug].person or "", "No hero (gap)"))
        for t in teams
        if t.slug in shifts
    ]
