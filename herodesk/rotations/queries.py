"""Reads: who is on, final schedules, next shifts, hand-offs, who is working.

Everything is computed by the pure engine (herodesk.domain.schedule) from a
few indexed queries: rotation versions (+ members) and the overrides that
touch the window asked about. Nothing is expanded over all history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q

from herodesk.domain import schedule as engine
from herodesk.domain.schedule import handoffs
from herodesk.lib.errors import NotFound
from herodesk.rotations.models import (
    Override,
    RotationMember,
    RotationVersion,
    SwapRequest,
    TimeOff,
)
from herodesk.teams.models import Membership, Person, Team

# How far ahead next_shifts() looks.
NEXT_SHIFTS_HORIZON = timedelta(days=400)


@dataclass
class Loaded:
    """Schedules of some teams over a window, and the people they name."""

    schedules: dict[int, engine.Schedule]
    people: dict[str, Person] = field(default_factory=dict)
    versions: dict[int, list[RotationVersion]] = field(default_factory=dict)


def domain_version(v: RotationVersion, members: list[str]) -> engine.RotationVersion:
    return engine.RotationVersion(
        members=tuple(members),
        start=v.start,
        turn_days=v.turn_days,
        handoff_weekday=v.handoff_weekday,
        handoff_time=v.handoff_time,
        time_zone=v.time_zone,
        effective_from=v.effective_from,
        effective_until=v.effective_until,
        restrictions=tuple(
            engine.WeeklyWindow(
                w["weekday"],
                engine.parse_handoff_time(w["start"]),
                engine.parse_handoff_time(w["end"]),
            )
            for w in v.restrictions
        ),
    )


def _window(qs: Any, start: datetime | None, end: datetime | None) -> Any:
    """Rows whose [start, end) interval touches [start, end)."""
    if end is not None:
        qs = qs.filter(start__lt=end)
    if start is not None:
        qs = qs.filter(end__gt=start)
    return qs


def _load_versions(
    team_ids: list[int], start: datetime | None, end: datetime | None, out: Loaded
) -> dict[int, list[engine.RotationVersion]]:
    slots = RotationMember.objects.select_related("person__user").order_by("position")
    versions = RotationVersion.objects.filter(team_id__in=team_ids).prefetch_related(
        Prefetch("slots", queryset=slots)
    )
    if start is not None:
        versions = versions.filter(Q(effective_until__isnull=True) | Q(effective_until__gt=start))
    if end is not None:
        versions = versions.filter(Q(effective_from__isnull=True) | Q(effective_from__lt=end))
    by_team: dict[int, list[engine.RotationVersion]] = defaultdict(list)
    for v in versions.order_by("id"):  # creation order is the order in time
        members = []
        for slot in v.slots.all():
            out.people[slot.person.user.username] = slot.person
            members.append(slot.person.user.username)
        by_team[v.team_id].append(domain_version(v, members))
        out.versions.setdefault(v.team_id, []).append(v)
    return by_team


def load(
    teams: Iterable[Team], start: datetime | None = None, end: datetime | None = None
) -> Loaded:
    """Schedules for `teams` able to answer anything inside [start, end),
    including whole shifts that cross its edges (see `whole`).

    Three queries whatever the number of teams: versions, their members
    (with people), and the overrides touching the window widened by the
    longest turn.
    """
    team_ids = [t.pk for t in teams]
    out = Loaded(schedules={})
    by_team = _load_versions(team_ids, start, end, out)
    longest = max((v.turn_days for vs in out.versions.values() for v in vs), default=0)
    margin = timedelta(days=1 + longest)
    overrides = _window(
        Override.objects.filter(team_id__in=team_ids).select_related("person__user"),
        start - margin if start is not None else None,
        end + margin if end is not None else None,
    )
    ovr_by_team: dict[int, list[engine.Override]] = defaultdict(list)
    for o in overrides:
        username = o.person.user.username
        out.people[username] = o.person
        ovr_by_team[o.team_id].append(
            engine.Override(id=o.pk, person=username, start=o.start, end=o.end)
        )
    for tid in team_ids:
        out.schedules[tid] = engine.Schedule(by_team.get(tid, []), ovr_by_team.get(tid, []))
    return out


def whole(schedule: engine.Schedule, start: datetime, end: datetime) -> list[engine.Shift]:
    """Final shifts touching [start, end) with the first and last *not* cut at
    the window's edges (a person's shift, a feed event: their real start/end).
    `schedule` must come from load() with a window containing [start, end)."""
    lo = min(schedule.who(start).start, start)
    hi = max(schedule.who(end - timedelta(microseconds=1)).end, end)
    return schedule.final(lo, hi)


def schedule_for(
    team: Team, start: datetime | None = None, end: datetime | None = None
) -> engine.Schedule:
    """The domain Schedule of a team (restricted to [start, end) when given)."""
    return load([team], start, end).schedules[team.pk]


def oncall(team: Team, at: datetime) -> engine.Shift:
    """The shift covering `at`: the hero (or a gap) and its start/end/source."""
    return schedule_for(team, at, at + timedelta(microseconds=1)).who(at)


def heroes_now(at: datetime) -> dict[str, engine.Shift]:
    """team slug → the shift covering `at`, for every team (three queries)."""
    teams = list(Team.objects.order_by("name"))
    loaded = load(teams, at, at + timedelta(microseconds=1))
    return {t.slug: loaded.schedules[t.pk].who(at) for t in teams}


def final_schedule(team: Team, start: datetime, end: datetime) -> list[engine.Shift]:
    """The final shifts (overrides applied) and gaps covering [start, end)."""
    return schedule_for(team, start, end).final(start, end)


def next_shifts(user: Any, now: datetime, limit: int = 5) -> list[tuple[Team, engine.Shift]]:
    """The user's current and coming shifts on every team they belong to."""
    username = user.get_username()
    teams = list(Team.objects.filter(memberships__person__user=user).order_by("name"))
    end = now + NEXT_SHIFTS_HORIZON
    loaded = load(teams, now, end)
    found: list[tuple[Team, engine.Shift]] = []
    for team in teams:
        for shift in whole(loaded.schedules[team.pk], now, end):
            if shift.person == username and shift.end > now:
                found.append((team, shift))
    found.sort(key=lambda pair: (pair[1].start, pair[0].name))
    return found[:limit]


def person_shifts(
    person: Person, start: datetime, end: datetime
) -> list[tuple[Team, engine.Shift]]:
    """Every shift of `person` inside [start, end) on any team, by start."""
    username = person.user.username
    teams = list(Team.objects.filter(memberships__person=person).order_by("name"))
    loaded = load(teams, start, end)
    found = [
        (t, s)
        for t in teams
        for s in whole(loaded.schedules[t.pk], start, end)
        if s.person == username
    ]
    found.sort(key=lambda pair: (pair[1].start, pair[0].name))
    return found


# How far around a window rotation boundaries are looked for, to tell whether
# an override runs across one (domain.schedule.handoffs).
CHANGES_MARGIN = timedelta(days=8)


def changes_between(team: Team, start: datetime, end: datetime) -> list[handoffs.Change]:
    """Every change of hero inside (start, end), classified as a rotation
    hand-off or a cover start/end (an override inside one rotation turn)."""
    schedule = schedule_for(team, start - CHANGES_MARGIN, end + CHANGES_MARGIN)
    return handoffs.classify(schedule, start, end)


def handoffs_between(
    team: Team, start: datetime, end: datetime
) -> list[tuple[datetime, str | None, str | None]]:
    """Every rotation hand-off inside (start, end): (instant, outgoing, incoming).

    A gap shows as None on either side. Consecutive shifts of the same person
    are not a hand-off, and neither are the edges of a short cover (an
    override that ends inside the rotation turn it began in).
    """
    return [
        (c.instant, c.outgoing, c.incoming)
        for c in changes_between(team, start, end)
        if c.kind == "handoff"
    ]


def team_people(team: Team | None) -> list[tuple[Person, list[Team]]]:
    """Everyone on any team (members of `team` first), with their teams."""
    rows = Membership.objects.select_related("team", "person__user").order_by("team__name")
    teams_of: dict[int, list[Team]] = defaultdict(list)
    people: dict[int, Person] = {}
    for m in rows:
        teams_of[m.person_id].append(m.team)
        people[m.person_id] = m.person

    def key(p: Person) -> tuple[int, str]:
        same = team is not None and any(t.pk == team.pk for t in teams_of[p.pk])
        return (0 if same else 1, p.user.username)

    return [(p, teams_of[p.pk]) for p in sorted(people.values(), key=key)]


def time_off_by_person(
    person_ids: list[int], start: datetime, end: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """person id → their time off touching [start, end) (one query)."""
    out: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    rows = TimeOff.objects.filter(person_id__in=person_ids, start__lt=end, end__gt=start)
    for pid, s, e in rows.values_list("person_id", "start", "end"):
        out[pid].append((s, e))
    return dict(out)


def on_time_off(person_ids: Iterable[int], at: datetime) -> set[int]:
    return set(
        TimeOff.objects.filter(
            person_id__in=list(person_ids), start__lte=at, end__gt=at
        ).values_list("person_id", flat=True)
    )


def working_now(at: datetime, team: Team | None = None) -> list[tuple[Person, list[Team]]]:
    """People on a team who are inside their working hours at `at` (and not on
    time off), with their teams; members of `team` first, then by username."""
    memberships = Membership.objects.select_related("team", "person__user").filter(
        person__user__is_active=True
    )
    teams_of: dict[int, list[Team]] = defaultdict(list)
    people: dict[int, Person] = {}
    for m in memberships.order_by("team__name"):
        teams_of[m.person_id].append(m.team)
        people[m.person_id] = m.person
    off = on_time_off(people, at)
    working = [p for pid, p in people.items() if pid not in off and p.calendar().is_working(at)]

    def key(p: Person) -> tuple[int, str]:
        same = team is not None and any(t.pk == team.pk for t in teams_of[p.pk])
        return (0 if same else 1, p.user.username)

    return [(p, teams_of[p.pk]) for p in sorted(working, key=key)]


def current_version(team: Team, at: datetime) -> RotationVersion | None:
    """The rotation version in force at `at` (or the next one to start)."""
    versions = load([team], at, None).versions.get(team.pk, [])
    for v in versions:
        if (v.effective_from or v.start) <= at and (
            v.effective_until is None or v.effective_until > at
        ):
            return v
    return versions[0] if versions else None


def overrides_between(team: Team, start: datetime | None, end: datetime | None) -> list[Override]:
    qs = _window(Override.objects.filter(team=team), start, end)
    return list(qs.select_related("person__user", "created_by").order_by("start", "id"))


def overrides_by_ids(ids: list[int]) -> list[Override]:
    return list(
        Override.objects.filter(pk__in=ids)
        .select_related("team", "person__user", "created_by")
        .order_by("start", "id")
    )


def person_named(username: str) -> Person:
    """The active person with this username, or NotFound."""
    person = (
        Person.objects.select_related("user")
        .filter(user__username=username, user__is_active=True)
        .first()
    )
    if person is None:
        raise NotFound(f"person {username!r} not found")
    return person


def time_off_of(person: Person, start: datetime | None = None) -> list[TimeOff]:
    qs = TimeOff.objects.filter(person=person).select_related("person__user")
    if start is not None:
        qs = qs.filter(end__gt=start)
    return list(qs.order_by("start", "id"))


def swaps_of(user: Any, status: str | None = None) -> list[SwapRequest]:
    """Swap requests the user made or is asked to accept, newest first."""
    qs = SwapRequest.objects.filter(
        Q(requester__user=user) | Q(counterpart__user=user)
    ).select_related("team", "requester__user", "counterpart__user", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return list(qs.order_by("-created_at", "-id")[:200])


def zone_of(team: Team) -> ZoneInfo:
    """The zone of the team's latest rotation (else the team's own zone)."""
    name = (
        RotationVersion.objects.filter(team=team)
        .order_by("-id")
        .values_list("time_zone", flat=True)
        .first()
    ) or team.time_zone
    return ZoneInfo(name)
