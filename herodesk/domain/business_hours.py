"""Working-time arithmetic in a support-hours calendar. Pure Python, no Django.

A Calendar is a time zone, weekly local wall-clock windows (Monday first) and
an optional holiday country (whole local days closed, via `holidays`).
Windows stay at local wall-clock time across DST. All instants in and out are
aware datetimes; results are UTC.

Internally each local day becomes a list of (start, end) POSIX timestamps,
cached per calendar, so `add` on the hot path is a dictionary lookup and a
little arithmetic.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
END_OF_DAY = 24 * 60
MAX_SEARCH_DAYS = 3 * 366
Window = tuple[time, time]
_ONE_DAY = timedelta(days=1)


class CalendarError(ValueError):
    """A calendar that cannot be built or used; the message names the field."""


def _parse_hhmm(value: str, where: str) -> int:
    try:
        hh, mm = str(value).split(":")
        minutes = int(hh) * 60 + int(mm)
        if len(hh) > 2 or len(mm) != 2 or not 0 <= int(mm) < 60 or not 0 <= minutes <= END_OF_DAY:
            raise ValueError
    except ValueError:
        raise CalendarError(f"{where}: {value!r} is not a time HH:MM (00:00–24:00)") from None
    return minutes


def _to_time(minutes: int) -> time:
    return time.max if minutes >= END_OF_DAY else time(minutes // 60, minutes % 60)


def _minutes(t: time) -> int:
    return END_OF_DAY if t == time.max else t.hour * 60 + t.minute


def _fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _local_instant(day: date, minutes: int, tz: ZoneInfo) -> float:
    """POSIX time of local wall-clock `minutes` on `day`; a nonexistent time
    (DST gap) moves to the first valid instant after it; an ambiguous one
    takes its first occurrence."""
    if minutes >= END_OF_DAY:
        day, minutes = day + _ONE_DAY, 0
    naive = datetime(day.year, day.month, day.day, minutes // 60, minutes % 60)
    aware = naive.replace(tzinfo=tz)
    ts = aware.timestamp()
    if datetime.fromtimestamp(ts, tz).replace(tzinfo=None) == naive:
        return ts
    # In a gap: walk forward from the post-transition reading to the transition.
    probe = naive.replace(tzinfo=tz, fold=1).timestamp()
    while datetime.fromtimestamp(probe, tz).replace(tzinfo=None) < naive:
        probe += 60
    return probe


@dataclass(frozen=True)
class Calendar:
    time_zone: str
    hours: tuple[tuple[Window, ...], ...]
    holiday_country: str | None = None
    holiday_subdiv: str | None = None
    _days: dict[date, tuple[tuple[float, float], ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    _holidays: dict[int, frozenset[date]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def __post_init__(self) -> None:
        try:
            tz = ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CalendarError(f"time_zone: unknown time zone {self.time_zone!r}") from None
        object.__setattr__(self, "_tz", tz)
        object.__setattr__(
            self,
            "_windows",
            tuple(tuple((_minutes(a), _minutes(b)) for a, b in day) for day in self.hours),
        )
        if len(self.hours) != 7:
            raise CalendarError("hours: need 7 days, Monday first")
        if not any(self.hours):
            raise CalendarError("hours: the calendar has no working hours at all")
        if self.holiday_country:
            try:
                holidays_lib.country_holidays(
                    self.holiday_country, subdiv=self.holiday_subdiv, years=2026
                )
            except NotImplementedError:
                raise CalendarError(
                    f"holiday_country: unknown country/subdivision {self.holiday_country!r}/"
                    f"{self.holiday_subdiv!r}"
                ) from None

    # ----- construction -------------------------------------------------
    @classmethod
    def from_spec(
        cls,
        time_zone: str,
        hours: Mapping[str, Sequence[Sequence[str]]],
        holiday_country: str | None = None,
        holiday_subdiv: str | None = None,
    ) -> Calendar:
        if not isinstance(hours, Mapping):
            raise CalendarError("hours: must map weekday (mon…sun) to [[start, end], …]")
        unknown = set(hours) - set(WEEKDAYS)
        if unknown:
            raise CalendarError(f"hours: unknown weekday {sorted(unknown)[0]!r} (mon…sun)")
        days: list[tuple[Window, ...]] = []
        for name in WEEKDAYS:
            spans = []
            for pair in hours.get(name) or ():
                if not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2:
                    raise CalendarError(f"hours.{name}: each window is [start, end]")
                start = _parse_hhmm(pair[0], f"hours.{name}")
                end = _parse_hhmm(pair[1], f"hours.{name}")
                if start >= end:
                    raise CalendarError(f"hours.{name}: {pair[0]}–{pair[1]} ends before it starts")
                spans.append((start, end))
            spans.sort()
            for (_, e1), (s2, _) in itertools.pairwise(spans):
                if s2 < e1:
                    raise CalendarError(f"hours.{name}: windows overlap")
            days.append(tuple((_to_time(s), _to_time(e)) for s, e in spans))
        return cls(
            time_zone,
            tuple(days),
            (holiday_country or None) and holiday_country.upper(),
            holiday_subdiv or None,
        )

    @classmethod
    def default(
        cls,
        time_zone: str = "UTC",
        holiday_country: str | None = None,
        holiday_subdiv: str | None = None,
    ) -> Calendar:
        spec = {d: [["09:00", "17:00"]] for d in WEEKDAYS[:5]}
        return cls.from_spec(time_zone, spec, holiday_country, holiday_subdiv)

    def to_spec(self) -> dict[str, list[list[str]]]:
        windows: tuple[tuple[tuple[int, int], ...], ...] = self._windows  # type: ignore[attr-defined]
        return {
            name: [[_fmt(s), _fmt(e)] for s, e in windows[i]] for i, name in enumerate(WEEKDAYS)
        }

    # ----- internals ----------------------------------------------------
    @property
    def tz(self) -> ZoneInfo:
        return self._tz  # type: ignore[attr-defined]

    def is_holiday(self, day: date) -> bool:
        if not self.holiday_country:
            return False
        days = self._holidays.get(day.year)
        if days is None:
            cal = holidays_lib.country_holidays(
                self.holiday_country, subdiv=self.holiday_subdiv, years=day.year
            )
            days = frozenset(cal.keys())
            self._holidays[day.year] = days
        return day in days

    def _day(self, day: date) -> tuple[tuple[float, float], ...]:
        spans = self._days.get(day)
        if spans is None:
            windows = self._windows[day.weekday()]  # type: ignore[attr-defined]
            if not windows or self.is_holiday(day):
                spans = ()
            else:
                spans = tuple(
                    (_local_instant(day, s, self.tz), _local_instant(day, e, self.tz))
                    for s, e in windows
                )
            self._days[day] = spans
        return spans

    def _local_date(self, ts: float) -> date:
        return datetime.fromtimestamp(ts, self.tz).date()

    @staticmethod
    def _ts(t: datetime) -> float:
        if t.tzinfo is None or t.utcoffset() is None:
            raise ValueError("naive datetime: pass an aware datetime")
        return t.timestamp()

    # ----- public arithmetic -------------------------------------------
    def is_working(self, t: datetime) -> bool:
        ts = self._ts(t)
        return any(s <= ts < e for s, e in self._day(self._local_date(ts)))

    def add_seconds(self, ts: float, seconds: Sequence[float]) -> list[float]:
        """Instants reached after each duration (ascending seconds) from `ts`."""
        out: list[float] = []
        day = self._local_date(ts)
        used = 0.0
        idx = 0
        for _ in range(MAX_SEARCH_DAYS):
            for s, e in self._day(day):
                if e <= ts:
                    continue
                begin = s if s > ts else ts
                span = e - begin
                while idx < len(seconds) and (seconds[idx] - used <= span):
                    out.append(begin + (seconds[idx] - used))
                    idx += 1
                if idx == len(seconds):
                    return out
                used += span
            day += _ONE_DAY
        raise CalendarError("no working time found within three years (all holidays?)")

    def add(self, start: datetime, duration: timedelta) -> datetime:
        ts = self._ts(start)
        result = self.add_seconds(ts, [duration.total_seconds()])[0]
        return datetime.fromtimestamp(result, UTC)

    def next_open(self, t: datetime) -> datetime:
        return self.add(t, timedelta(0))

    def working_intervals(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime]]:
        a, b = self._ts(start), self._ts(end)
        if b <= a:
            return
        day, last = self._local_date(a), self._local_date(b)
        while day <= last:
            for s, e in self._day(day):
                lo, hi = max(s, a), min(e, b)
                if lo < hi:
                    yield datetime.fromtimestamp(lo, UTC), datetime.fromtimestamp(hi, UTC)
            day += _ONE_DAY

    def between(self, a: datetime, b: datetime) -> timedelta:
        ta, tb = self._ts(a), self._ts(b)
        if tb <= ta:
            return timedelta(0)
        total = 0.0
        day, last = self._local_date(ta), self._local_date(tb)
        while day <= last:
            for s, e in self._day(day):
                lo, hi = max(s, ta), min(e, tb)
                if lo < hi:
                    total += hi - lo
            day += _ONE_DAY
        return timedelta(seconds=total)
