"""Working-time arithmetic: hand-computed cases (literals) and properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from herodesk.domain import business_hours
from herodesk.domain.business_hours import WEEKDAYS, Calendar, CalendarError

LONDON = Calendar.default("Europe/London", "GB", "ENG")
NEW_YORK = Calendar.default("America/New_York", "US", "NY")
BERLIN_SPLIT = Calendar.from_spec(
    "Europe/Berlin",
    {
        "mon": [["13:00", "17:30"], ["08:00", "12:00"]],  # unsorted on purpose
        "sat": [["22:00", "24:00"]],
        "sun": [["00:00", "02:00"]],
    },
    "DE",
    "BE",
)
# Windows that straddle London's DST transitions (01:00 UTC on the last Sundays
# of March and October): 00:00–04:00 local is 3 h in spring, 5 h in autumn.
LONDON_NIGHTS = Calendar.from_spec(
    "Europe/London", {"sat": [["20:00", "24:00"]], "sun": [["00:00", "04:00"]]}
)
LONDON_GAP = Calendar.from_spec("Europe/London", {"sun": [["01:30", "03:00"]]})
H = timedelta(hours=1)
M = timedelta(minutes=1)


def z(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (z(2026, 11, 23, 10), 15 * M, z(2026, 11, 23, 10, 15)),  # Monday, GMT
        (z(2026, 1, 16, 16, 55), 15 * M, z(2026, 1, 19, 9, 10)),  # Fri 16:55 → Mon 09:10
        (z(2026, 1, 16, 16, 55), 8 * H, z(2026, 1, 19, 16, 55)),  # one working day
        (z(2026, 7, 3, 15, 55), 15 * M, z(2026, 7, 6, 8, 10)),  # Fri 16:55 BST → Mon 09:10 BST
        (z(2026, 11, 28, 12), 15 * M, z(2026, 11, 30, 9, 15)),  # Saturday → Monday
        (z(2026, 11, 23, 7), H, z(2026, 11, 23, 10)),  # before opening
        (z(2026, 11, 23, 16), H, z(2026, 11, 23, 17)),  # uses the window up: ends at 17:00
        (z(2026, 11, 23, 17), timedelta(0), z(2026, 11, 24, 9)),  # zero → next opening
        (z(2026, 11, 23, 12, 34, 56, 789), timedelta(0), z(2026, 11, 23, 12, 34, 56, 789)),
        (z(2026, 3, 27, 16, 30), H, z(2026, 3, 30, 8, 30)),  # spring-forward weekend
        (z(2026, 10, 23, 15, 30), H, z(2026, 10, 26, 9, 30)),  # fall-back weekend
        (z(2026, 4, 2, 15), 2 * H, z(2026, 4, 7, 9)),  # Thu 16:00 BST; Good Fri, Easter Mon
        (z(2026, 12, 24, 16, 50), 15 * M, z(2026, 12, 29, 9, 5)),  # Christmas, Boxing sub.
        (z(2026, 12, 31, 16), 2 * H, z(2027, 1, 4, 10)),  # New Year's Day 2027 is a Friday
    ],
)
def test_add_in_london(start: datetime, duration: timedelta, expected: datetime) -> None:
    assert LONDON.add(start, duration) == expected


def test_english_bank_holidays_2026_are_closed() -> None:
    closed = [date(2026, 4, 3), date(2026, 4, 6), date(2026, 12, 25), date(2026, 12, 28)]
    for day in closed:
        assert LONDON.is_holiday(day)
        assert not LONDON.is_working(datetime.combine(day, time(12), LONDON.tz))
    assert LONDON.is_working(z(2026, 4, 7, 12)) and LONDON.is_working(z(2026, 12, 29, 12))
    week = LONDON.between(z(2026, 12, 24), z(2026, 12, 31))
    assert week == 24 * H  # Thu 24, Tue 29, Wed 30


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (z(2026, 3, 6, 21, 30), H, z(2026, 3, 9, 13, 30)),  # Fri 16:30 EST → Mon 09:30 EDT
        (z(2026, 10, 30, 20, 30), H, z(2026, 11, 2, 14, 30)),  # Fri 16:30 EDT → Mon 09:30 EST
        (z(2026, 11, 25, 21, 50), 15 * M, z(2026, 11, 27, 14, 5)),  # Thanksgiving
        (z(2026, 7, 2, 20), 2 * H, z(2026, 7, 6, 14)),  # 4 July observed on Friday 3rd
    ],
)
def test_add_in_new_york(start: datetime, duration: timedelta, expected: datetime) -> None:
    assert NEW_YORK.add(start, duration) == expected


def test_who_is_inside_working_hours_across_the_atlantic() -> None:
    assert LONDON.is_working(z(2026, 11, 23, 15)) and NEW_YORK.is_working(z(2026, 11, 23, 15))
    assert not LONDON.is_working(z(2026, 11, 23, 18)) and NEW_YORK.is_working(z(2026, 11, 23, 18))


def test_between_on_dst_weekends() -> None:
    # Fri 09:00 GMT → Mon 17:00 BST: two whole days, nothing on the weekend.
    assert LONDON.between(z(2026, 3, 27, 9), z(2026, 3, 30, 16)) == 16 * H
    assert LONDON.between(z(2026, 3, 28), z(2026, 3, 30, 8)) == timedelta(0)
    assert LONDON.between(z(2026, 10, 23, 8), z(2026, 10, 26, 17)) == 16 * H


def test_windows_straddling_dst_transitions() -> None:
    # Sat 20:00 → Sun 04:00 local merges into one interval: 7 h in spring, 9 h in autumn.
    spring = list(LONDON_NIGHTS.working_intervals(z(2026, 3, 28), z(2026, 3, 30)))
    assert spring == [(z(2026, 3, 28, 20), z(2026, 3, 29, 3))]
    autumn = list(LONDON_NIGHTS.working_intervals(z(2026, 10, 24), z(2026, 10, 26)))
    assert autumn == [(z(2026, 10, 24, 19), z(2026, 10, 25, 4))]
    assert LONDON_NIGHTS.add(z(2026, 3, 29), 2 * H) == z(2026, 3, 29, 2)  # 03:00 BST
    assert LONDON_NIGHTS.between(z(2026, 10, 25), z(2026, 10, 26)) == 4 * H


def test_nonexistent_and_ambiguous_window_edges() -> None:
    # 01:30 does not exist on 29 March: the window opens at the transition (02:00 BST).
    assert LONDON_GAP.next_open(z(2026, 3, 29)) == z(2026, 3, 29, 1)
    assert LONDON_GAP.between(z(2026, 3, 29), z(2026, 3, 30)) == H
    # 01:30 happens twice on 25 October: open at the first, close at 03:00 GMT.
    assert LONDON_GAP.next_open(z(2026, 10, 25)) == z(2026, 10, 25, 0, 30)
    assert LONDON_GAP.between(z(2026, 10, 25), z(2026, 10, 26)) == timedelta(hours=2, minutes=30)


def test_split_windows_and_24_00() -> None:
    monday = z(2026, 11, 23, 10, 30)  # 11:30 Berlin
    assert BERLIN_SPLIT.add(monday, H) == z(2026, 11, 23, 12, 30)  # 13:30 after lunch
    assert BERLIN_SPLIT.is_working(z(2026, 11, 28, 22, 59))  # Sat 23:59 CET
    assert BERLIN_SPLIT.is_working(z(2026, 11, 28, 23))  # Sun 00:00 CET: windows touch
    assert not BERLIN_SPLIT.is_working(z(2026, 11, 29, 1))  # Sun 02:00 CET
    nights = list(BERLIN_SPLIT.working_intervals(z(2026, 11, 28), z(2026, 11, 30)))
    assert nights == [(z(2026, 11, 28, 21), z(2026, 11, 29, 1))]
    assert BERLIN_SPLIT.add(z(2026, 11, 28, 21, 30), 2 * H) == z(2026, 11, 28, 23, 30)


def test_working_intervals_are_clipped_utc_pairs() -> None:
    got = list(LONDON.working_intervals(z(2026, 4, 2, 12), z(2026, 4, 7, 10)))
    assert got == [(z(2026, 4, 2, 12), z(2026, 4, 2, 16)), (z(2026, 4, 7, 8), z(2026, 4, 7, 10))]
    assert all(a.tzinfo is UTC and b.tzinfo is UTC for a, b in got)
    assert list(LONDON.working_intervals(z(2026, 4, 7), z(2026, 4, 7))) == []


def test_results_are_utc_whatever_the_input_zone() -> None:
    local = datetime(2026, 1, 16, 16, 55, tzinfo=LONDON.tz)
    result = LONDON.add(local, 15 * M)
    assert result.tzinfo is UTC and result == z(2026, 1, 19, 9, 10)
    assert LONDON.next_open(local) == local


def test_between_and_order() -> None:
    assert LONDON.between(z(2026, 11, 27, 16), z(2026, 11, 30, 10)) == 2 * H
    assert LONDON.between(z(2026, 11, 30, 10), z(2026, 11, 27, 16)) == timedelta(0)


def test_spec_round_trip_keeps_24_00_and_all_days() -> None:
    spec = {
        "mon": [["08:00", "12:00"], ["13:00", "17:30"]],
        "tue": [],
        "wed": [],
        "thu": [],
        "fri": [],
        "sat": [["22:00", "24:00"]],
        "sun": [["00:00", "02:00"]],
    }
    assert BERLIN_SPLIT.to_spec() == spec
    assert Calendar.from_spec("Europe/Berlin", spec, "DE", "BE") == BERLIN_SPLIT
    assert BERLIN_SPLIT.hours[5] == ((time(22), time.max),)
    assert list(Calendar.default().to_spec()) == list(WEEKDAYS)


def test_calendars_are_hashable_values_and_normalise_holiday_codes() -> None:
    same = Calendar.default("Europe/London", "gb", "eng")
    assert same == LONDON and hash(same) == hash(LONDON)
    assert (same.holiday_country, same.holiday_subdiv) == ("GB", "ENG")
    assert {LONDON: 1}[same] == 1


@pytest.mark.parametrize(
    ("tz", "hours", "country", "subdiv", "message"),
    [
        ("Mars/Base", {"mon": [["09:00", "17:00"]]}, None, None, "time_zone"),
        ("UTC", {"mon": [["17:00", "09:00"]]}, None, None, r"hours\.mon\[0\]: .*start before"),
        ("UTC", {"mon": [["09:00", "09:00"]]}, None, None, "start before"),
        (
            "UTC",
            {"tue": [["09:00", "12:00"], ["11:00", "13:00"]]},
            None,
            None,
            "hours.tue.*overlap",
        ),
        ("UTC", {"mon": [["9am", "5pm"]]}, None, None, "HH:MM"),
        ("UTC", {"mon": [["25:00", "26:00"]]}, None, None, "HH:MM"),
        ("UTC", {"mon": [["09:60", "10:00"]]}, None, None, "HH:MM"),
        ("UTC", {"mon": [["09:00"]]}, None, None, r"\[start, end\]"),
        ("UTC", {"someday": [["09:00", "10:00"]]}, None, None, "weekday 'someday'"),
        ("UTC", {}, None, None, "no working hours"),
        ("UTC", {"mon": []}, None, None, "no working hours"),
        ("UTC", {"mon": [["09:00", "17:00"]]}, "XX", None, "holiday_country"),
        ("UTC", {"mon": [["09:00", "17:00"]]}, "GB", "ZZZ", "holiday_subdiv"),
        ("UTC", {"mon": [["09:00", "17:00"]]}, None, "ENG", "holiday_subdiv"),
    ],
)
def test_bad_specs_name_the_field(
    tz: str,
    hours: dict[str, list[list[str]]],
    country: str | None,
    subdiv: str | None,
    message: str,
) -> None:
    with pytest.raises(CalendarError, match=message):
        Calendar.from_spec(tz, hours, country, subdiv)


def test_calendar_error_is_a_value_error_and_direct_construction_is_checked() -> None:
    assert issubclass(CalendarError, ValueError)
    with pytest.raises(CalendarError, match="7 days"):
        Calendar("UTC", ((),) * 6)
    with pytest.raises(CalendarError, match="whole-minute"):
        Calendar("UTC", (((time(9, 0, 30), time(17)),),) + ((),) * 6)


def test_naive_datetimes_and_negative_durations_are_refused() -> None:
    naive = datetime(2026, 1, 1, 12)
    with pytest.raises(ValueError, match="naive"):
        LONDON.add(naive, M)
    with pytest.raises(ValueError, match="naive"):
        LONDON.between(z(2026, 1, 1), naive)
    with pytest.raises(ValueError, match="naive"):
        LONDON.is_working(naive)
    with pytest.raises(ValueError, match="naive"):
        list(LONDON.working_intervals(naive, z(2026, 1, 2)))
    with pytest.raises(ValueError, match="negative"):
        LONDON.add(z(2026, 1, 5, 10), -M)
    with pytest.raises(ValueError, match="supported"):
        LONDON.is_working(z(2500, 1, 1))


def test_a_calendar_whose_every_open_day_is_a_holiday_gives_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def every_day(country: str, subdiv: str | None, year: int) -> frozenset[date]:
        first = date(year, 1, 1)
        return frozenset(first + timedelta(days=n) for n in range(366))

    monkeypatch.setattr(business_hours, "_holiday_dates", every_day)
    cal = Calendar.default("Europe/London", "GB", "ENG")
    with pytest.raises(CalendarError, match="no working time in 3 years"):
        cal.add(z(2026, 1, 5, 10), M)
    with pytest.raises(CalendarError, match="no working time"):
        cal.next_open(z(2026, 1, 5, 10))


def test_long_durations_cross_years() -> None:
    # 2026: 261 weekdays less 8 weekday bank holidays = 253 working days from 2 Jan.
    start = z(2026, 1, 2, 9)
    year_end = LONDON.add(start, LONDON.between(start, z(2027, 1, 1)))
    assert year_end == z(2026, 12, 31, 17)
    assert LONDON.between(start, z(2027, 1, 1)) == 253 * 8 * H


# ----- properties -------------------------------------------------------------
US = timedelta(microseconds=1)
CALENDARS = [LONDON, NEW_YORK, BERLIN_SPLIT, LONDON_NIGHTS, LONDON_GAP]
calendars = st.sampled_from(CALENDARS)
DST_CHANGES = [z(2026, 3, 8, 7), z(2026, 3, 29, 1), z(2026, 10, 25, 1), z(2026, 11, 1, 6)]
instants = st.one_of(
    st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 1), timezones=st.just(UTC)
    ),
    st.builds(  # near a London or New York clock change
        lambda t, us: t + us * US,
        st.sampled_from(DST_CHANGES),
        st.integers(min_value=-2 * 86400 * 10**6, max_value=2 * 86400 * 10**6),
    ),
)
durations = st.integers(min_value=0, max_value=200 * 3600 * 10**6).map(lambda us: us * US)
positive = durations.filter(lambda d: d > timedelta(0))
spans = st.integers(min_value=0, max_value=21 * 86400 * 10**6).map(lambda us: us * US)
PROPS = settings(max_examples=200, deadline=None)


@PROPS
@given(calendars, instants, durations)
def test_between_inverts_add(cal: Calendar, t: datetime, d: timedelta) -> None:
    assert cal.between(t, cal.add(t, d)) == d


@PROPS
@given(calendars, instants, positive)
def test_add_lands_in_window_start_exclusive_to_window_end_inclusive(
    cal: Calendar, t: datetime, d: timedelta
) -> None:
    result = cal.add(t, d)
    assert result > t
    assert cal.is_working(result - US)  # the instant just before it was working time


@PROPS
@given(calendars, instants)
def test_zero_duration_is_the_next_working_instant(cal: Calendar, t: datetime) -> None:
    opened = cal.next_open(t)
    assert opened >= t and cal.is_working(opened) and cal.between(t, opened) == timedelta(0)
    assert (opened == t) == cal.is_working(t)


@PROPS
@given(calendars, instants, durations, durations)
def test_add_is_monotonic_in_the_duration(
    cal: Calendar, t: datetime, d1: timedelta, d2: timedelta
) -> None:
    lo, hi = sorted((d1, d2))
    assert cal.add(t, lo) <= cal.add(t, hi)


@PROPS
@given(calendars, instants, spans, spans)
def test_between_is_additive_over_a_split_point(
    cal: Calendar, a: datetime, s1: timedelta, s2: timedelta
) -> None:
    mid, end = a + min(s1, s2), a + max(s1, s2)
    assert cal.between(a, end) == cal.between(a, mid) + cal.between(mid, end)


@PROPS
@given(calendars, instants, spans)
def test_working_intervals_partition_the_working_time(
    cal: Calendar, a: datetime, span: timedelta
) -> None:
    b = a + span
    pieces = list(cal.working_intervals(a, b))
    assert sum((e - s for s, e in pieces), timedelta(0)) == cal.between(a, b)
    for s, e in pieces:
        assert a <= s < e <= b and cal.is_working(s) and cal.is_working(e - US)
    for (_, e), (s, _) in zip(pieces, pieces[1:], strict=False):
        assert e < s and not cal.is_working(e)  # maximal: a gap follows each piece


def _reference_between(cal: Calendar, a: datetime, b: datetime) -> timedelta:
    """Day-by-day oracle, valid for calendars whose windows avoid DST transitions."""
    total = timedelta(0)
    day = a.astimezone(cal.tz).date() - timedelta(days=1)
    while day <= b.astimezone(cal.tz).date():
        if not cal.is_holiday(day):
            for start, end in cal.hours[day.weekday()]:
                lo = datetime.combine(day, start, cal.tz)
                hi = datetime.combine(day + timedelta(days=1), time(0), cal.tz)
                if end != time.max:
                    hi = datetime.combine(day, end, cal.tz)
                total += max(timedelta(0), min(hi, b) - max(lo, a))
        day += timedelta(days=1)
    return total


# Berlin's clocks change at 02:00/03:00 local, which none of these windows touch.
BERLIN_EVENINGS = Calendar.from_spec(
    "Europe/Berlin", {"mon": [["08:00", "12:00"], ["13:00", "17:30"]], "sat": [["22:00", "24:00"]]}
)


@PROPS
@given(st.sampled_from([LONDON, NEW_YORK, BERLIN_EVENINGS]), instants, spans)
def test_between_agrees_with_a_day_by_day_oracle(
    cal: Calendar, a: datetime, span: timedelta
) -> None:
    assert cal.between(a, a + span) == _reference_between(cal, a, a + span)
