"""Working-time arithmetic in a support-hours calendar (SPEC §1, §6). Pure Python.

A `Calendar` is an IANA time zone, weekly local wall-clock windows (Monday
first) and an optional holiday country/subdivision from the `holidays` package.

Rules
- Windows are local wall-clock time, whatever the UTC offset: on a DST day a
  09:00–17:00 window is still 09:00–17:00 local. A window that spans a
  transition is shorter or longer in real time (01:00–03:00 London is 1 h on
  the spring day and 3 h on the autumn day).
- A wall time that does not exist (spring gap) means the first valid instant
  after it (the transition). An ambiguous wall time (autumn repeat) means its
  first occurrence for a window start and its last for a window end, so a
  window covers every instant whose local reading lies inside it.
- "24:00" ends a window at the next local midnight; windows that touch across
  midnight or overlap after DST mapping are merged into one interval.
- A holiday closes the whole local day.
- `add(t, d)` for d > 0 lands in (window start, window end]: a duration that
  uses up a window exactly ends at the closing instant, not at the next
  opening. `add(t, 0)` is `next_open(t)`.
- All inputs are aware datetimes (naive ones raise ValueError); all results
  are UTC. Arithmetic is exact to the microsecond.

How it is fast: per calendar, the working intervals of a contiguous span of
local years are flattened into sorted lists of integer microseconds since the
epoch with prefix sums of working time ("working coordinates"). Then `add`
and `between` are two binary searches and a subtraction, whatever the
duration. The span grows on demand, one local year at a time (supported years
1900–2199); holidays are cached per (country, subdivision, year).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import ModuleType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from herodesk.domain.holiday_regions import default_subdivision

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
END_OF_DAY = time.max  # in-memory form of "24:00" (a window end only)
MIN_YEAR, MAX_YEAR = 1900, 2199
MAX_EMPTY_YEARS = 3  # give up after this many consecutive years without working time
Window = tuple[time, time]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_ONE_DAY = timedelta(days=1)
_HHMM = re.compile(r"(\d{1,2}):(\d{2})")


class CalendarError(ValueError):
    """A calendar that cannot be built or used; the message names the field."""


def to_micros(t: datetime) -> int:
    """Microseconds since the epoch of an aware datetime (ValueError if naive)."""
    try:
        return (t - _EPOCH) // _US
    except TypeError:
        raise ValueError(f"need an aware datetime, got naive or non-datetime {t!r}") from None


def from_micros(us: int) -> datetime:
    """The UTC datetime `us` microseconds after the epoch."""
    return _EPOCH + _US * us


@functools.lru_cache(maxsize=2048)
def _holiday_dates(country: str, subdiv: str | None, year: int) -> frozenset[date]:
    return frozenset(_holidays_lib().country_holidays(country, subdiv=subdiv, years=year))


@functools.cache
def _holidays_lib() -> ModuleType:
    """The `holidays` package, imported by the first calendar with a holiday country."""
    # lazy: `holidays` takes ~50 ms to import; calendars without holidays and
    # commands that build none (`herodesk who` for a desk without them) skip it.
    import holidays

    return holidays


def _parse_hhmm(value: object, where: str) -> int:
    match = _HHMM.fullmatch(value) if isinstance(value, str) else None
    minutes = int(match[1]) * 60 + int(match[2]) if match else -1
    if not match or int(match[2]) >= 60 or not 0 <= minutes <= 24 * 60:
        raise CalendarError(f"{where}: {value!r} is not a time HH:MM (00:00–24:00)")
    return minutes


def _minutes(t: time, where: str) -> int:
    if t == END_OF_DAY:
        return 24 * 60
    if t.second or t.microsecond or t.tzinfo is not None:
        raise CalendarError(f"{where}: {t} must be a naive whole-minute time")
    return t.hour * 60 + t.minute


def _to_time(minutes: int) -> time:
    return END_OF_DAY if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)


def _check_day(name: str, spans: Sequence[tuple[int, int]]) -> None:
    for i, (start, end) in enumerate(spans):
        if start >= end:
            raise CalendarError(f"hours.{name}[{i}]: the window must start before it ends")
        if i and start < spans[i - 1][1]:
            raise CalendarError(f"hours.{name}[{i}]: windows overlap or are not sorted")


def _holiday_codes(
    country: str | None, subdiv: str | None, time_zone: str
) -> tuple[str | None, str | None]:
    """Validated (country, subdivision) codes for `holidays`, upper-cased if needed
    (GB without a subdivision: see domain.holiday_regions)."""
    if not country:
        if subdiv:
            raise CalendarError("holiday_subdiv: needs a holiday_country")
        return None, None
    country = country.upper()
    subdiv = default_subdivision(country, subdiv, time_zone)
    holidays_lib = _holidays_lib()
    try:
        holidays_lib.country_holidays(country)
    except NotImplementedError:
        raise CalendarError(f"holiday_country: unknown country {country!r}") from None
    for candidate in dict.fromkeys([subdiv or None, (subdiv or "").upper() or None]):
        try:
            holidays_lib.country_holidays(country, subdiv=candidate)
        except NotImplementedError:
            continue
        return country, candidate
    raise CalendarError(f"holiday_subdiv: {country} has no subdivision {subdiv!r}")


class _Timeline:
    """Working intervals of local years first..last in µs, [lo, hi) covered. Inside
    window k an instant t has working coordinate t - offsets[k]; cumend[k] is the
    coordinate at its end."""

    __slots__ = ("cumend", "ends", "first", "hi", "last", "lo", "offsets", "starts")

    def __init__(self, first: int, last: int, lo: int, hi: int, spans: list[list[int]]) -> None:
        self.first, self.last, self.lo, self.hi = first, last, lo, hi
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.offsets: list[int] = []
        self.cumend: list[int] = []
        acc = 0
        for s, e in spans:
            self.offsets.append(s - acc)
            acc += e - s
            self.cumend.append(acc)

    def coord(self, t: int) -> int:
        """Working coordinate of t (t must be in [lo, hi])."""
        i = bisect_right(self.ends, t)
        if i == len(self.ends):
            return self.cumend[-1] if self.cumend else 0
        s = self.starts[i]
        return (s if s > t else t) - self.offsets[i]


class _State:
    """Mutable per-calendar caches (the Calendar itself is frozen and hashable)."""

    def __init__(self) -> None:
        self.tz = ZoneInfo("UTC")
        self.windows: tuple[tuple[tuple[int, int], ...], ...] = ()
        self.years: dict[int, tuple[tuple[int, int], ...]] = {}
        self.timeline: _Timeline | None = None


@dataclass(frozen=True)
class Calendar:
    """Support hours: see the module docstring for the rules."""

    time_zone: str
    hours: tuple[tuple[Window, ...], ...]
    holiday_country: str | None = None
    holiday_subdiv: str | None = None
    _state: _State = field(init=False, repr=False, compare=False, default_factory=_State)

    def __post_init__(self) -> None:
        try:
            self._state.tz = ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise CalendarError(f"time_zone: unknown time zone {self.time_zone!r}") from None
        if len(self.hours) != 7:
            raise CalendarError("hours: need 7 days of windows, Monday first")
        table = []
        for name, day in zip(WEEKDAYS, self.hours, strict=True):
            spans = [(_minutes(a, f"hours.{name}"), _minutes(b, f"hours.{name}")) for a, b in day]
            _check_day(name, spans)
            table.append(tuple(spans))
        if not any(table):
            raise CalendarError("hours: the calendar has no working hours at all")
        self._state.windows = tuple(table)
        country, subdiv = _holiday_codes(self.holiday_country, self.holiday_subdiv, self.time_zone)
        object.__setattr__(self, "holiday_country", country)
        object.__setattr__(self, "holiday_subdiv", subdiv)

    # ----- construction -------------------------------------------------
    @classmethod
    def from_spec(
        cls,
        time_zone: str,
        hours: Mapping[str, Sequence[Sequence[str]]],
        holiday_country: str | None = None,
        holiday_subdiv: str | None = None,
    ) -> Calendar:
        """Build from {"mon": [["09:00", "17:00"]], …}; a missing day is closed."""
        if not isinstance(hours, Mapping):
            raise CalendarError("hours: must map weekday (mon…sun) to [[start, end], …]")
        unknown = sorted(str(k) for k in hours if k not in WEEKDAYS)
        if unknown:
            raise CalendarError(f"hours: unknown weekday {unknown[0]!r} (use mon…sun)")
        days: list[tuple[Window, ...]] = []
        for name in WEEKDAYS:
            pairs = hours.get(name) or ()
            if isinstance(pairs, str) or not isinstance(pairs, Sequence):
                raise CalendarError(f"hours.{name}: must be a list of [start, end] windows")
            spans = []
            for i, pair in enumerate(pairs):
                where = f"hours.{name}[{i}]"
                if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
                    raise CalendarError(f"{where}: each window is [start, end]")
                spans.append((_parse_hhmm(pair[0], where), _parse_hhmm(pair[1], where)))
            spans.sort()
            _check_day(name, spans)
            days.append(tuple((_to_time(s), _to_time(e)) for s, e in spans))
        return cls(time_zone, tuple(days), holiday_country or None, holiday_subdiv or None)

    @classmethod
    def default(
        cls,
        time_zone: str = "UTC",
        holiday_country: str | None = None,
        holiday_subdiv: str | None = None,
    ) -> Calendar:
        """Monday–Friday 09:00–17:00 local."""
        spec = {name: [["09:00", "17:00"]] for name in WEEKDAYS[:5]}
        return cls.from_spec(time_zone, spec, holiday_country, holiday_subdiv)

    def to_spec(self) -> dict[str, list[list[str]]]:
        """The hours as {"mon": [["09:00", "17:00"]], …, "sun": []} (all 7 keys)."""
        fmt = "{:02d}:{:02d}".format
        return {
            name: [[fmt(*divmod(s, 60)), fmt(*divmod(e, 60))] for s, e in windows]
            for name, windows in zip(WEEKDAYS, self._state.windows, strict=True)
        }

    @property
    def tz(self) -> ZoneInfo:
        return self._state.tz

    def is_holiday(self, day: date) -> bool:
        """Whether the local date `day` is a holiday of this calendar."""
        if self.holiday_country is None:
            return False
        return day in _holiday_dates(self.holiday_country, self.holiday_subdiv, day.year)

    # ----- public arithmetic -------------------------------------------
    def is_working(self, t: datetime) -> bool:
        ts = to_micros(t)
        tl = self._timeline(ts, ts)
        i = bisect_right(tl.ends, ts)
        return i < len(tl.ends) and tl.starts[i] <= ts

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant reached after `duration` of working time from `start` (UTC)."""
        return from_micros(self.add_micros(to_micros(start), (duration // _US,))[0])

    def next_open(self, t: datetime) -> datetime:
        """The first working instant >= t (t itself when working)."""
        return self.add(t, timedelta(0))

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Working time in [a, b); zero when b <= a."""
        return _US * self.between_micros(to_micros(a), to_micros(b))

    def working_intervals(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime]]:
        """Maximal working intervals clipped to [start, end), as UTC pairs."""
        a, b = to_micros(start), to_micros(end)
        if b <= a:
            return
        tl = self._timeline(a, b)
        i = bisect_right(tl.ends, a)
        while i < len(tl.starts) and tl.starts[i] < b:
            yield from_micros(max(tl.starts[i], a)), from_micros(min(tl.ends[i], b))
            i += 1

    # ----- fast paths in integer microseconds ---------------------------
    def add_micros(self, ts: int, durations: Sequence[int]) -> list[int]:
        """For each duration (µs, >= 0): the instant (µs) reached from ts. One walk."""
        tl = self._state.timeline
        if tl is None or not tl.lo <= ts < tl.hi:
            tl = self._timeline(ts, ts)
        empty_years = 0
        while True:
            cumend, n = tl.cumend, len(tl.cumend)
            i = bisect_right(tl.ends, ts)
            if i < n:
                offsets, s = tl.offsets, tl.starts[i]
                base = (s if s > ts else ts) - offsets[i]
                out = []
                for d in durations:
                    if d < 0:
                        raise ValueError("a duration of working time cannot be negative")
                    j = bisect_left(cumend, base + d, i)
                    if j == n:
                        break
                    out.append(offsets[j] + base + d)
                else:
                    return out
            tl = self._grow(tl.first, tl.last + 1)
            empty_years = 0 if self._year_spans(tl.last) else empty_years + 1
            if empty_years >= MAX_EMPTY_YEARS:
                raise CalendarError(
                    f"hours: no working time in {MAX_EMPTY_YEARS} years "
                    f"(every open day a holiday?) after {from_micros(ts).isoformat()}"
                )

    def between_micros(self, a: int, b: int) -> int:
        """Working microseconds in [a, b)."""
        if b <= a:
            return 0
        tl = self._timeline(a, b)
        return tl.coord(b) - tl.coord(a)

    # ----- the timeline -------------------------------------------------
    def _timeline(self, a: int, b: int) -> _Timeline:
        """A timeline whose span covers [a, b]."""
        tl = self._state.timeline
        if tl is not None and tl.lo <= a and b < tl.hi:
            return tl
        first, last = self._local_year(a), self._local_year(b)
        if tl is not None:
            first, last = min(first, tl.first), max(last, tl.last)
        return self._grow(first, last)

    def _grow(self, first: int, last: int) -> _Timeline:
        if first < MIN_YEAR or last > MAX_YEAR:
            raise CalendarError(f"year outside the supported range {MIN_YEAR}–{MAX_YEAR}")
        spans: list[list[int]] = []
        for year in range(first, last + 1):
            for s, e in self._year_spans(year):
                if spans and s <= spans[-1][1]:  # touching or overlapping: merge
                    spans[-1][1] = max(spans[-1][1], e)
                else:
                    spans.append([s, e])
        lo = self._wall(date(first, 1, 1), 0, end=False)
        hi = self._wall(date(last + 1, 1, 1), 0, end=False)
        tl = _Timeline(first, last, lo, hi, spans)
        self._state.timeline = tl
        return tl

    def _local_year(self, ts: int) -> int:
        try:
            year = from_micros(ts).astimezone(self._state.tz).year
        except OverflowError:
            year = 0
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"instant outside the supported years {MIN_YEAR}–{MAX_YEAR}")
        return year

    def _year_spans(self, year: int) -> tuple[tuple[int, int], ...]:
        """Working intervals (µs) of every local day of `year`, in order."""
        cached = self._state.years.get(year)
        if cached is not None:
            return cached
        closed = frozenset[date]()
        if self.holiday_country is not None:
            closed = _holiday_dates(self.holiday_country, self.holiday_subdiv, year)
        spans = []
        day = date(year, 1, 1)
        while day.year == year:
            if day not in closed:
                for s, e in self._state.windows[day.weekday()]:
                    a, b = self._wall(day, s, end=False), self._wall(day, e, end=True)
                    if a < b:
                        spans.append((a, b))
            day += _ONE_DAY
        self._state.years[year] = result = tuple(spans)
        return result

    def _wall(self, day: date, minutes: int, *, end: bool) -> int:
        """µs of local wall-clock `minutes` on `day` (DST rules: module doc)."""
        if minutes >= 24 * 60:
            day, minutes = day + _ONE_DAY, minutes - 24 * 60
        tz = self._state.tz
        naive = datetime(day.year, day.month, day.day, minutes // 60, minutes % 60)
        t0 = int(naive.replace(tzinfo=tz).timestamp())
        t1 = int(naive.replace(tzinfo=tz, fold=1).timestamp())
        if t0 != t1:
            if datetime.fromtimestamp(t0, tz).replace(tzinfo=None) == naive:  # ambiguous
                t0 = max(t0, t1) if end else min(t0, t1)
            else:  # nonexistent: the transition instant lies in (t1, t0]
                lo, hi = min(t0, t1), max(t0, t1)
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    if datetime.fromtimestamp(mid, tz).replace(tzinfo=None) > naive:
                        hi = mid
                    else:
                        lo = mid
                t0 = hi
        return t0 * 1_000_000
