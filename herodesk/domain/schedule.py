"""The rotation schedule engine (SPEC §1). Pure Python, no Django.

Rules
-----
* A rotation *version* has ordered members, a `start` instant, a turn length
  in days, a handoff weekday (None = any day, for daily rotations) and a
  wall-clock handoff time in an IANA zone. Turn 0 is the turn that contains
  `start`: it began at the latest handoff at or before `start`. Turn k begins
  at the handoff on local date anchor + k·turn_days and belongs to
  members[k % len(members)].
* Handoffs are at local wall-clock time across DST. A handoff time that does
  not exist (spring-forward gap) moves to the first valid instant after it; in
  the repeated hour (fall-back) the later occurrence is used.
* Versions are layers in time: a version applies from `effective_from`
  (default `start`) until `effective_until` or the next version's
  `effective_from`, so a change never rewrites the past; a shift in progress
  is cut at that instant.
* Restrictions (weekly local windows) mask a version: outside them it is a gap.
* Overrides `[start, end)` replace whoever is scheduled. Precedence:
  override > rotation > gap. Gaps are reported, never filled.
* Lookups are O(log n) (bisect over versions and overrides) plus O(1) turn
  arithmetic; `final` starts from the turn at the window start and never
  expands history.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Source = Literal["rotation", "override", "gap"]
_DAY = timedelta(days=1)


class ScheduleError(ValueError):
    """Bad rotation, override or swap input; the message names the field."""


@dataclass(frozen=True)
class WeeklyWindow:
    weekday: int
    start: time
    end: time  # time.max means midnight at the end of the day


@dataclass(frozen=True)
class RotationVersion:
    members: tuple[str, ...]
    start: datetime
    turn_days: int = 7
    handoff_weekday: int | None = 0
    handoff_time: time = time(9, 0)
    time_zone: str = "UTC"
    effective_from: datetime | None = None
    effective_until: datetime | None = None
    restrictions: tuple[WeeklyWindow, ...] = ()

    def __post_init__(self) -> None:
        validate_time_zone(self.time_zone)
        if not self.members:
            raise ScheduleError("members: a rotation needs at least one member")
        if self.turn_days < 1:
            raise ScheduleError("turn_days: must be at least 1")
        if self.handoff_weekday is not None and not 0 <= self.handoff_weekday <= 6:
            raise ScheduleError("handoff_weekday: 0 (Monday) … 6 (Sunday)")
        _aware(self.start, "start")
        if self.effective_until is not None and self.effective_until <= self.begins:
            raise ScheduleError("effective_until: must be after effective_from")

    @property
    def begins(self) -> datetime:
        return self.effective_from or self.start


@dataclass(frozen=True)
class Override:
    id: str | int
    person: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _aware(self.start, "start")
        _aware(self.end, "end")
        if self.end <= self.start:
            raise ScheduleError("end: must be after start")


@dataclass(frozen=True)
class Shift:
    person: str | None
    start: datetime
    end: datetime
    source: Source
    override_id: str | int | None = None
    turn_index: int | None = None


def _aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ScheduleError(f"{name}: needs a time zone offset")


def validate_time_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ScheduleError(f"time_zone: unknown time zone {name!r}") from None


def parse_handoff_time(value: str) -> time:
    try:
        hh, mm = value.split(":")
        if len(hh) > 2 or len(mm) != 2:
            raise ValueError
        return time(int(hh), int(mm))
    except (ValueError, AttributeError):
        raise ScheduleError(f"handoff_time: {value!r} is not a time HH:MM") from None


def wall_clock(day: date, at: time, tz: ZoneInfo, *, later: bool = True) -> datetime:
    """The UTC instant of local `at` on `day`: a nonexistent time moves to the
    first valid instant after it; an ambiguous one takes the later (or first)
    occurrence."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz, fold=1 if later else 0)
    utc = aware.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) == naive:
        return utc
    probe = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)  # before the gap
    probe = probe.replace(second=0, microsecond=0)
    while probe.astimezone(tz).replace(tzinfo=None) < naive:
        probe += timedelta(minutes=1)
    return probe


class _Turns:
    """Turn arithmetic of one version: boundary(k) and turn_at(t) in O(1)."""

    def __init__(self, v: RotationVersion) -> None:
        self.v = v
        self.tz = validate_time_zone(v.time_zone)
        local = v.start.astimezone(self.tz).date()
        if v.handoff_weekday is not None:
            local -= timedelta(days=(local.weekday() - v.handoff_weekday) % 7)
        if self.boundary_on(local) > v.start:
            local -= timedelta(days=7 if v.handoff_weekday is not None else 1)
        self.anchor = local

    def boundary_on(self, day: date) -> datetime:
        return wall_clock(day, self.v.handoff_time, self.tz)

    def boundary(self, k: int) -> datetime:
        return self.boundary_on(self.anchor + timedelta(days=k * self.v.turn_days))

    def turn_at(self, t: datetime) -> int:
        days = (t.astimezone(self.tz).date() - self.anchor).days
        k = days // self.v.turn_days
        while self.boundary(k) > t:
            k -= 1
        while self.boundary(k + 1) <= t:
            k += 1
        return k

    def member(self, k: int) -> str:
        return self.v.members[k % len(self.v.members)]


def rotation_boundaries(version: RotationVersion, start: datetime, end: datetime) -> list[datetime]:
    """Handoff instants of `version` within [start, end)."""
    turns = _Turns(version)
    k = turns.turn_at(start)
    out = []
    b = turns.boundary(k)
    while b < end:
        if b >= start:
            out.append(b)
        k += 1
        b = turns.boundary(k)
    return out


def _mask(
    v: RotationVersion, tz: ZoneInfo, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """UTC intervals inside the version's weekly windows, clipped to [start, end)."""
    day = start.astimezone(tz).date() - _DAY
    last = end.astimezone(tz).date()
    while day <= last:
        for w in sorted(v.restrictions, key=lambda w: w.start):
            if w.weekday != day.weekday():
                continue
            lo = wall_clock(day, w.start, tz, later=False)
            hi = (
                wall_clock(day + _DAY, time(0), tz, later=False)
                if w.end == time.max
                else wall_clock(day, w.end, tz, later=False)
            )
            lo, hi = max(lo, start), min(hi, end)
            if lo < hi:
                yield lo, hi
        day += _DAY


class Schedule:
    """Final schedule of one team: versions + overrides, indexed once."""

    def __init__(self, versions: Sequence[RotationVersion], overrides: Sequence[Override]) -> None:
        ordered = sorted(versions, key=lambda v: v.begins)
        self._layers: list[tuple[datetime, datetime | None, _Turns]] = []
        for i, v in enumerate(ordered):
            nxt = ordered[i + 1].begins if i + 1 < len(ordered) else None
            until = (
                min(x for x in (v.effective_until, nxt) if x is not None)
                if (v.effective_until or nxt)
                else None
            )
            if until is None or until > v.begins:
                self._layers.append((v.begins, until, _Turns(v)))
        self._layer_starts = [layer[0] for layer in self._layers]
        self.overrides = sorted(overrides, key=lambda o: o.start)
        self._ov_starts = [o.start for o in self.overrides]
        self._ov_max_len = max((o.end - o.start for o in self.overrides), default=timedelta(0))

    # ----- rotation layer (no overrides) -----------------------------------
    def _rotation(self, start: datetime, end: datetime) -> list[Shift]:
        out: list[Shift] = []
        i = max(bisect.bisect_right(self._layer_starts, start) - 1, 0)
        cursor = start
        for begins, until, turns in self._layers[i:]:
            if begins >= end:
                break
            lo, hi = max(begins, start), min(until or end, end)
            if lo >= hi:
                continue
            if cursor < lo:
                out.append(Shift(None, cursor, lo, "gap"))
            out.extend(self._turn_pieces(turns, lo, hi))
            cursor = hi
        if cursor < end:
            out.append(Shift(None, cursor, end, "gap"))
        return out

    def _turn_pieces(self, turns: _Turns, start: datetime, end: datetime) -> Iterator[Shift]:
        k = turns.turn_at(start)
        lo = start
        while lo < end:
            hi = min(turns.boundary(k + 1), end)
            shift = Shift(turns.member(k), lo, hi, "rotation", turn_index=k)
            if turns.v.restrictions:
                yield from self._restrict(shift, turns)
            else:
                yield shift
            lo, k = hi, k + 1

    @staticmethod
    def _restrict(shift: Shift, turns: _Turns) -> Iterator[Shift]:
        cursor = shift.start
        for lo, hi in _mask(turns.v, turns.tz, shift.start, shift.end):
            if cursor < lo:
                yield Shift(None, cursor, lo, "gap")
            yield Shift(shift.person, lo, hi, "rotation", turn_index=shift.turn_index)
            cursor = hi
        if cursor < shift.end:
            yield Shift(None, cursor, shift.end, "gap")

    # ----- overrides on top -------------------------------------------------
    def _overrides_in(self, start: datetime, end: datetime) -> list[Override]:
        i = bisect.bisect_left(self._ov_starts, start - self._ov_max_len)
        j = bisect.bisect_left(self._ov_starts, end)
        return [o for o in self.overrides[i:j] if o.end > start]

    def final(self, start: datetime, end: datetime) -> list[Shift]:
        """Contiguous pieces covering exactly [start, end)."""
        _aware(start, "start")
        _aware(end, "end")
        if end <= start:
            raise ScheduleError("end: must be after start")
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        base = self._rotation(start, end)
        out: list[Shift] = []
        cursor = start
        for o in self._overrides_in(start, end):
            lo, hi = max(o.start, start), min(o.end, end)
            if lo < cursor:  # overlapping overrides: the earlier one wins
                lo = cursor
            if lo >= hi:
                continue
            out.extend(_clip(base, cursor, lo))
            out.append(Shift(o.person, lo, hi, "override", override_id=o.id))
            cursor = hi
        out.extend(_clip(base, cursor, end))
        return _merge_gaps(out)

    def who(self, at: datetime) -> Shift:
        """The final piece covering `at` (bounded by the rotation turn around it)."""
        _aware(at, "at")
        at = at.astimezone(UTC)
        i = bisect.bisect_right(self._ov_starts, at)
        for o in reversed(self.overrides[max(0, i - 4) : i]):
            if o.start <= at < o.end:
                return Shift(o.person, o.start, o.end, "override", override_id=o.id)
        layer = bisect.bisect_right(self._layer_starts, at) - 1
        if layer >= 0:
            begins, until, turns = self._layers[layer]
            if until is None or at < until:
                k = turns.turn_at(at)
                lo, hi = max(turns.boundary(k), begins), turns.boundary(k + 1)
                hi = min(hi, until) if until else hi
                return next(p for p in self.final(lo, hi) if p.start <= at < p.end)
        return next(p for p in self.final(at, at + timedelta(seconds=1)) if p.start <= at)

    def shifts_for(self, person: str, start: datetime, end: datetime) -> list[Shift]:
        return [p for p in self.final(start, end) if p.person == person]


def _clip(pieces: Sequence[Shift], start: datetime, end: datetime) -> list[Shift]:
    out = []
    for p in pieces:
        lo, hi = max(p.start, start), min(p.end, end)
        if lo < hi:
            out.append(Shift(p.person, lo, hi, p.source, p.override_id, p.turn_index))
    return out


def _merge_gaps(pieces: list[Shift]) -> list[Shift]:
    out: list[Shift] = []
    for p in pieces:
        if out and p.source == "gap" and out[-1].source == "gap" and out[-1].end == p.start:
            out[-1] = Shift(None, out[-1].start, p.end, "gap")
        else:
            out.append(p)
    return out


def find_overlaps(overrides: Sequence[Override], candidate: Override) -> list[Override]:
    return [
        o
        for o in overrides
        if o.id != candidate.id and o.start < candidate.end and candidate.start < o.end
    ]


def _day_parts(shift: Shift, days: Sequence[date], tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    parts = []
    for d in sorted(set(days)):
        lo = max(wall_clock(d, time(0), tz, later=False), shift.start)
        hi = min(wall_clock(d + _DAY, time(0), tz, later=False), shift.end)
        if lo < hi:
            parts.append((lo, hi))
    return parts


def swap_overrides(
    a_person: str,
    a_shift: Shift,
    b_person: str,
    b_shift: Shift,
    days: Sequence[date] | None,
    tz: str,
) -> list[tuple[str, datetime, datetime]]:
    """The pair of overrides of a swap: B covers A's shift (or the chosen local
    days of it) and A covers B's. The rotation order is untouched."""
    if a_person == b_person:
        raise ScheduleError("counterpart: cannot swap with yourself")
    if days is None:
        return [(b_person, a_shift.start, a_shift.end), (a_person, b_shift.start, b_shift.end)]
    zone = validate_time_zone(tz)
    give = _day_parts(a_shift, days, zone)
    take = _day_parts(b_shift, days, zone)
    if not give or not take:
        raise ScheduleError("days: pick at least one day of each shift")
    return [(b_person, lo, hi) for lo, hi in give] + [(a_person, lo, hi) for lo, hi in take]


def shifts_colliding(
    schedule: Schedule, person: str, off_start: datetime, off_end: datetime
) -> list[Shift]:
    return schedule.shifts_for(person, off_start, off_end)


def propose_swap_partners(
    schedule: Schedule,
    team_members: Sequence[str],
    person: str,
    conflict: Shift,
    now: datetime,
    lookback: timedelta = timedelta(days=90),
) -> list[str]:
    """Same team, not `person`, not on the shift right before or after the
    conflict (nor on it), fewest shifts in the last `lookback` first."""
    edge = timedelta(seconds=1)
    neighbours = {
        schedule.who(conflict.start - edge).person,
        schedule.who(conflict.end).person,
        schedule.who(conflict.start).person,
    }
    history = schedule.final(now - lookback, now)
    counts = {
        m: sum(1 for p in history if p.person == m and p.source != "gap") for m in team_members
    }
    candidates = [m for m in team_members if m != person and m not in neighbours]
    return sorted(candidates, key=lambda m: (counts[m], m))
