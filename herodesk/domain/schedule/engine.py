"""The rotation schedule engine (SPEC §1). Pure Python, no Django.

Rules
-----
* **Local wall-clock times.** Every local time here (handoffs, restriction
  windows, day edges of a swap) is resolved by `wall_clock`: a time that does
  not exist (spring-forward gap) moves to the first valid instant after it
  (01:30 London on 2026-03-29 → 02:00 BST = 01:00Z); a time that happens twice
  (fall-back) takes the *later* occurrence (fold=1; 01:30 London on
  2026-10-25 → 01:30 GMT = 01:30Z).
* **Turns.** A `RotationVersion` has an *anchor date*: the first local date on
  or after `start`'s local date whose weekday is `handoff_weekday` (`None` =
  any weekday, so the anchor is `start`'s local date). boundary(k) is
  `handoff_time` on local date anchor + k·turn_days; turn k covers
  [boundary(k), boundary(k+1)) and belongs to members[k mod len(members)].
  k may be negative: time between `effective_from` and the first handoff is
  turn −1 (the last member), as PagerDuty does when the handoff anchor follows
  the layer start. The turn covering t is computed from the number of local
  dates between the anchor and t (O(1), no walk through history).
* **Versions are layers in time.** A version is in force from
  `effective_from` (default `start`) until `effective_until` or the next
  version's `effective_from`, whichever is first; a shift in progress is cut
  there, earlier shifts never change. Of two versions beginning at the same
  instant the later one in the given sequence wins. No version in force = gap.
* **Restrictions** (weekly local windows) mask a version: outside them the
  rotation yields a gap. A window whose `end` <= `start` runs past midnight
  to `end` on the next day (`end` 00:00 or `time.max` = midnight; `start` ==
  `end` = 24 hours). Overlapping windows are united.
* **Overrides** `[start, end)` replace whoever is scheduled. Precedence:
  override > rotation > gap; gaps are reported, never filled. Overlapping
  overrides are invalid input (`find_overlaps` reports them); if some are
  passed anyway the earlier-starting one keeps the shared time, so `who` and
  `final` still agree.
* **Pieces.** `final` cuts time into pieces; adjacent pieces merge only when
  person, source, override id and turn index are all equal (so gaps merge,
  turns and overrides stay separate). `who(t)` is the piece `final` would
  give over an unbounded window; a gap open-ended on one side (nothing ever
  scheduled before/after) is cut at `t` (start = t, or end = t + 1 µs).
* All inputs must be time-zone aware; all outputs are in UTC.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Source = Literal["rotation", "override", "gap"]
_DAY = timedelta(days=1)
_EPS = timedelta(microseconds=1)
_NEG = datetime.min.replace(tzinfo=UTC)  # open-ended gap sentinels, never returned
_POS = datetime.max.replace(tzinfo=UTC)
_MAX_MERGE = 4096  # bound on neighbour merging in `who` (never reached in practice)
_MAX_CACHED = 100_000  # handoff instants remembered per layer
_HHMM = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


class ScheduleError(ValueError):
    """Bad rotation, override or swap input; the message starts with the field."""


@dataclass(frozen=True, slots=True)
class WeeklyWindow:
    """A local weekly window: `weekday` (0 = Monday) from `start` to `end`."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ScheduleError("restrictions: weekday must be 0 (Monday) … 6 (Sunday)")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ScheduleError("restrictions: window times are local, without tzinfo")


@dataclass(frozen=True, slots=True)
class RotationVersion:
    """One layer of a team's rotation (see the module rules)."""

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
            raise ScheduleError("handoff_weekday: 0 (Monday) … 6 (Sunday) or None")
        if self.handoff_time.tzinfo is not None:
            raise ScheduleError("handoff_time: a local time, without tzinfo")
        _utc(self.start, "start")
        if self.effective_from is not None:
            _utc(self.effective_from, "effective_from")
        if self.effective_until is not None:
            _utc(self.effective_until, "effective_until")
            if self.effective_until <= self.begins:
                raise ScheduleError("effective_until: must be after effective_from")

    @property
    def begins(self) -> datetime:
        """The instant this version takes effect."""
        return self.effective_from or self.start


@dataclass(frozen=True, slots=True)
class Override:
    """`person` covers [start, end) whoever is scheduled."""

    id: str | int
    person: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _window(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Shift:
    """A piece of the final schedule; `person` is None for a gap."""

    person: str | None
    start: datetime
    end: datetime
    source: Source
    override_id: str | int | None = None
    turn_index: int | None = None


def _utc(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ScheduleError(f"{name}: needs a time zone offset")
    return value.astimezone(UTC)


def _window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    lo, hi = _utc(start, "start"), _utc(end, "end")
    if hi <= lo:
        raise ScheduleError("end: must be after start")
    return lo, hi


def validate_time_zone(name: str) -> ZoneInfo:
    """The zone called `name`; ScheduleError naming it if there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise ScheduleError(f"time_zone: unknown time zone {name!r}") from None


def parse_handoff_time(value: str) -> time:
    """'HH:MM' (00:00–23:59, the hour may have one digit) → time."""
    match = _HHMM.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ScheduleError(f"handoff_time: {value!r} is not a time HH:MM (00:00–23:59)")
    return time(int(match[1]), int(match[2]))


@lru_cache(maxsize=1 << 16)
def wall_clock(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of local `at` on `day` (gap → first valid instant after
    it; repeated hour → the later occurrence)."""
    naive = datetime.combine(day, at)
    utc = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) == naive:
        return utc
    # In a gap fold=1 uses the offset after the change (an instant before it)
    # and fold=0 the offset before (an instant after it): bisect between them
    # for the change itself, the first instant whose local time is past `naive`.
    lo, hi = utc, naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    while hi - lo > _EPS:
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).replace(tzinfo=None) > naive:
            hi = mid
        else:
            lo = mid
    return hi


def _window_end(w: WeeklyWindow) -> tuple[time, int]:
    """The end time of a window and how many days after its start day it falls."""
    end = time(0) if w.end == time.max else w.end
    return end, (1 if end <= w.start else 0)


class _Layer:
    """One version while it is in force: [begins, until) with O(1) turn arithmetic."""

    def __init__(self, v: RotationVersion, until: datetime) -> None:
        self.v, self.members, self.days = v, v.members, v.turn_days
        self.begins, self.until = _utc(v.begins, "effective_from"), until
        self.tz = validate_time_zone(v.time_zone)
        local = v.start.astimezone(self.tz).date()
        if v.handoff_weekday is not None:
            local += timedelta(days=(v.handoff_weekday - local.weekday()) % 7)
        self.anchor, self.masked = local, bool(v.restrictions)
        self.windows: dict[int, list[tuple[time, time, int]]] = {d: [] for d in range(7)}
        for w in sorted(v.restrictions, key=lambda w: w.start):
            self.windows[w.weekday].append((w.start, *_window_end(w)))
        self._bounds: dict[int, datetime] = {}

    def boundary(self, k: int) -> datetime:
        """Handoff instant that starts turn k (UTC), remembered."""
        found = self._bounds.get(k)
        if found is None:
            if len(self._bounds) >= _MAX_CACHED:
                self._bounds.clear()
            day = self.anchor + timedelta(days=k * self.days)
            found = self._bounds[k] = wall_clock(day, self.v.handoff_time, self.tz)
        return found

    def person(self, k: int) -> str:
        return self.members[k % len(self.members)]

    def turn_at(self, t: datetime) -> int:
        """The turn covering instant t, from the local date count (O(1))."""
        k = (t.astimezone(self.tz).date() - self.anchor).days // self.days
        while self.boundary(k) > t:
            k -= 1
        while self.boundary(k + 1) <= t:
            k += 1
        return k

    def pieces(self, lo: datetime, hi: datetime) -> list[Shift]:
        """Elementary pieces (turns, masked by restrictions) of [lo, hi) ⊆ [begins, until)."""
        out: list[Shift] = []
        k = self.turn_at(lo)
        cursor = lo
        while cursor < hi:
            end = min(self.boundary(k + 1), hi)
            if cursor < end:
                out.append(Shift(self.person(k), cursor, end, "rotation", None, k))
            cursor, k = max(cursor, end), k + 1
        return _mask(out, self._windows(lo, hi)) if self.masked else out

    def piece_at(self, t: datetime) -> tuple[Shift, bool, bool]:
        """The elementary piece covering t, and whether its start / end may
        continue into a neighbour with the same key (a layer edge, or the ±1 day
        cut of a masked turn)."""
        k = self.turn_at(t)
        lo, hi = max(self.boundary(k), self.begins), min(self.boundary(k + 1), self.until)
        if not self.masked:
            return (
                Shift(self.person(k), lo, hi, "rotation", None, k),
                lo == self.begins,
                hi == self.until,
            )
        lo, hi = max(lo, t - _DAY), min(hi, t + _DAY)
        turn = Shift(self.person(k), lo, hi, "rotation", None, k)
        p = next(p for p in _mask([turn], self._windows(lo, hi)) if p.start <= t < p.end)
        return p, p.start == lo, p.end == hi  # across a window edge the key changes

    def _windows(self, lo: datetime, hi: datetime) -> list[tuple[datetime, datetime]]:
        """UTC intervals of the weekly mask inside [lo, hi), sorted and united."""
        found: list[tuple[datetime, datetime]] = []
        day, last = lo.astimezone(self.tz).date() - _DAY, hi.astimezone(self.tz).date()
        while day <= last:
            for start, end, later in self.windows[day.weekday()]:
                a = max(wall_clock(day, start, self.tz), lo)
                b = min(wall_clock(day + timedelta(days=later), end, self.tz), hi)
                if a < b:
                    found.append((a, b))
            day += _DAY
        found.sort()
        united: list[tuple[datetime, datetime]] = []
        for a, b in found:
            if united and a <= united[-1][1]:
                united[-1] = (united[-1][0], max(b, united[-1][1]))
            else:
                united.append((a, b))
        return united


def _mask(turns: list[Shift], windows: list[tuple[datetime, datetime]]) -> list[Shift]:
    """Turn pieces inside the windows stay; the rest of each turn becomes gaps."""
    out: list[Shift] = []
    j = 0
    for p in turns:
        while j < len(windows) and windows[j][1] <= p.start:
            j += 1
        cursor, i = p.start, j
        while i < len(windows) and windows[i][0] < p.end:
            lo, hi = max(windows[i][0], p.start), min(windows[i][1], p.end)
            if cursor < lo:
                out.append(Shift(None, cursor, lo, "gap"))
            out.append(Shift(p.person, lo, hi, p.source, p.override_id, p.turn_index))
            cursor, i = hi, i + 1
        if cursor < p.end:
            out.append(Shift(None, cursor, p.end, "gap"))
    return out


def _key(p: Shift) -> tuple[str | None, str, str | int | None, int | None]:
    return (p.person, p.source, p.override_id, p.turn_index)


def _merge(pieces: list[Shift]) -> list[Shift]:
    """Unite adjacent pieces with the same person, source, override and turn."""
    out: list[Shift] = []
    for p in pieces:
        if out and out[-1].end == p.start and _key(out[-1]) == _key(p):
            q = out[-1]
            out[-1] = Shift(q.person, q.start, p.end, q.source, q.override_id, q.turn_index)
        else:
            out.append(p)
    return out


def _layers(versions: Sequence[RotationVersion]) -> list[_Layer]:
    """Versions as non-overlapping layers sorted by the instant they take effect."""
    ordered = sorted(versions, key=lambda v: _utc(v.begins, "effective_from"))
    out = []
    for i, v in enumerate(ordered):
        until = _POS if v.effective_until is None else _utc(v.effective_until, "effective_until")
        if i + 1 < len(ordered):
            until = min(until, _utc(ordered[i + 1].begins, "effective_from"))
        if until > _utc(v.begins, "effective_from"):
            out.append(_Layer(v, until))
    return out


def _normalize(overrides: Sequence[Override]) -> list[Shift]:
    """Overrides as sorted, non-overlapping UTC pieces (the earlier start keeps
    time that two of them claim)."""
    out: list[Shift] = []
    last = _NEG
    for o in sorted(overrides, key=lambda o: (_utc(o.start, "start"), _utc(o.end, "end"))):
        lo, hi = max(_utc(o.start, "start"), last), _utc(o.end, "end")
        if lo < hi:
            out.append(Shift(o.person, lo, hi, "override", o.id))
        last = max(last, hi)
    return out


class Schedule:
    """The final schedule of one team: versions and overrides, indexed once.

    Lookups cost O(log n) in versions and overrides (bisect) plus O(1) turn
    arithmetic; `final` starts at the turn covering its window's start."""

    def __init__(self, versions: Sequence[RotationVersion], overrides: Sequence[Override]) -> None:
        self.versions = tuple(versions)
        self.overrides = tuple(sorted(overrides, key=lambda o: (o.start, o.end)))
        self._layers = _layers(versions)
        self._layer_starts = [layer.begins for layer in self._layers]
        self._ovs = _normalize(overrides)
        self._ov_starts = [o.start for o in self._ovs]
        self._ov_ends = [o.end for o in self._ovs]  # sorted too: the pieces never overlap

    def who(self, at: datetime) -> Shift:
        """The final piece covering `at`: an override, a rotation shift or a gap."""
        at = _utc(at, "at")
        i = bisect.bisect_right(self._ov_starts, at) - 1
        if i >= 0 and at < self._ovs[i].end:
            return self._ovs[i]
        p = self._base_piece(at)
        lo = max(p.start, self._ovs[i].end) if i >= 0 else p.start
        hi = min(p.end, self._ovs[i + 1].start) if i + 1 < len(self._ovs) else p.end
        lo, hi = (at if lo == _NEG else lo), (at + _EPS if hi == _POS else hi)
        return Shift(p.person, lo, hi, p.source, None, p.turn_index)

    def final(self, start: datetime, end: datetime) -> list[Shift]:
        """Contiguous, non-overlapping pieces covering exactly [start, end)."""
        start, end = _window(start, end)
        out: list[Shift] = []
        cursor = start
        first = bisect.bisect_right(self._ov_ends, start)
        for o in self._ovs[first : bisect.bisect_left(self._ov_starts, end)]:
            lo, hi = max(o.start, start), min(o.end, end)
            if cursor < lo:
                out.extend(self._base(cursor, lo))
            out.append(Shift(o.person, lo, hi, "override", o.override_id))
            cursor = hi
        if cursor < end:
            out.extend(self._base(cursor, end))
        return _merge(out)

    def shifts_for(self, person: str, start: datetime, end: datetime) -> list[Shift]:
        """`person`'s pieces of the final schedule in [start, end) (clipped to it)."""
        return [p for p in self.final(start, end) if p.person == person]

    def _base(self, lo: datetime, hi: datetime) -> list[Shift]:
        """Rotation pieces and gaps (no overrides) of [lo, hi)."""
        out: list[Shift] = []
        cursor = lo
        i = max(bisect.bisect_right(self._layer_starts, lo) - 1, 0)
        for layer in self._layers[i:]:
            if layer.begins >= hi:
                break
            a, b = max(layer.begins, cursor), min(layer.until, hi)
            if a >= b:
                continue
            if cursor < a:
                out.append(Shift(None, cursor, a, "gap"))
            out.extend(layer.pieces(a, b))
            cursor = b
        if cursor < hi:
            out.append(Shift(None, cursor, hi, "gap"))
        return out

    def _elementary(self, at: datetime) -> tuple[Shift, bool, bool]:
        """The unmerged piece covering `at` (see `_Layer.piece_at`); the gaps
        between layers use sentinels when open-ended."""
        i = bisect.bisect_right(self._layer_starts, at) - 1
        if i >= 0 and at < self._layers[i].until:
            return self._layers[i].piece_at(at)
        lo = self._layers[i].until if i >= 0 else _NEG
        hi = self._layers[i + 1].begins if i + 1 < len(self._layers) else _POS
        return Shift(None, lo, hi, "gap"), lo != _NEG, hi != _POS

    def _base_piece(self, at: datetime) -> Shift:
        """The rotation piece or gap covering `at`, merged with equal neighbours."""
        p, more_before, more_after = self._elementary(at)
        start, end = p.start, p.end
        for _ in range(_MAX_MERGE if more_after else 0):
            q, _, more_after = self._elementary(end)
            if _key(q) != _key(p):
                break
            end = q.end
            if not more_after:
                break
        for _ in range(_MAX_MERGE if more_before else 0):
            q, more_before, _ = self._elementary(start - _EPS)
            if _key(q) != _key(p):
                break
            start = q.start
            if not more_before:
                break
        return Shift(p.person, start, end, p.source, None, p.turn_index)


def rotation_boundaries(version: RotationVersion, start: datetime, end: datetime) -> list[datetime]:
    """Handoff instants (UTC) of `version` in [start, end) while it is in force."""
    start, end = _window(start, end)
    until = _utc(version.effective_until, "effective_until") if version.effective_until else _POS
    layer = _Layer(version, until)
    start, end = max(start, layer.begins), min(end, until)
    if start >= end:
        return []
    k, out = layer.turn_at(start), []
    b = layer.boundary(k)
    while b < end:
        if b >= start:
            out.append(b)
        k += 1
        b = layer.boundary(k)
    return out
