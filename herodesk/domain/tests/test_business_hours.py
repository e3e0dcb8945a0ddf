"""Working-time arithmetic: hand-computed cases and properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from herodesk.domain.business_hours import Calendar, CalendarError

LONDON = Calendar.default("Europe/London", "GB", "ENG")
NEW_YORK = Calendar.default("America/New_York", "US", "NY")
SPLIT = Calendar.from_spec(
    "Europe/Berlin",
    {"mon": [["08:00", "12:00"], ["13:00", "17:30"]], "sat": [["22:00", "24:00"]]},
    "DE",
    "BE",
)


def z(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        (z(2026, 11, 23, 10), 15, z(2026, 11, 23, 10, 15)),  # Monday GMT
        (z(2026, 11, 27, 16, 55), 15, z(2026, 11, 30, 9, 10)),  # Friday → Monday
        (z(2026, 11, 28, 12), 15, z(2026, 11, 30, 9, 15)),  # Saturday
        (z(2026, 11, 23, 7), 60, z(2026, 11, 23, 10)),  # before opening
        (z(2026, 7, 3, 15, 55), 15, z(2026, 7, 6, 8, 10)),  # Friday 16:55 BST
        (z(2026, 3, 27, 16, 30), 60, z(2026, 3, 30, 8, 30)),  # over spring-forward weekend
        (z(2026, 10, 23, 15, 30), 60, z(2026, 10, 26, 9, 30)),  # over fall-back weekend
        (z(2026, 4, 2, 15), 120, z(2026, 4, 7, 9, 0)),  # 16:00 BST Thu; Good Fri, Easter Mon
        (z(2026, 12, 24, 16, 50), 15, z(2026, 12, 29, 9, 5)),  # Christmas, Boxing Day sub.
        (z(2026, 11, 23, 10), 8 * 60, z(2026, 11, 24, 10)),  # one working day
        (z(2026, 11, 23, 17), 0, z(2026, 11, 24, 9)),  # zero → next opening
    ],
)
def test_add_in_london(start, minutes, expected):
    assert LONDON.add(start, timedelta(minutes=minutes)) == expected


def test_new_york_hours_and_thanksgiving():
    # Wed 25 Nov 2026 16:50 EST; Thursday 26 is Thanksgiving.
    assert NEW_YORK.add(z(2026, 11, 25, 21, 50), timedelta(minutes=15)) == z(2026, 11, 27, 14, 5)


def test_split_windows_and_midnight_end():
    monday = z(2026, 11, 23, 10, 30)  # 11:30 Berlin
    assert SPLIT.add(monday, timedelta(hours=1)) == z(2026, 11, 23, 12, 30)  # 13:30 local
    assert SPLIT.to_spec()["sat"] == [["22:00", "24:00"]]
    assert SPLIT.is_working(z(2026, 11, 28, 22, 59)) and not SPLIT.is_working(z(2026, 11, 28, 23))


def test_between_counts_only_working_time():
    assert LONDON.between(z(2026, 11, 27, 16), z(2026, 11, 30, 10)) == timedelta(hours=2)
    assert LONDON.between(z(2026, 11, 30, 10), z(2026, 11, 27, 16)) == timedelta(0)


def test_spec_round_trip_and_errors():
    spec = {
        "mon": [["09:00", "17:00"]],
        "tue": [],
        "wed": [],
        "thu": [],
        "fri": [],
        "sat": [],
        "sun": [],
    }
    assert Calendar.from_spec("UTC", spec).to_spec() == spec
    bad = [
        ("Mars/Base", {"mon": [["09:00", "17:00"]]}, "time_zone"),
        ("UTC", {"mon": [["17:00", "09:00"]]}, "hours.mon"),
        ("UTC", {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}, "overlap"),
        ("UTC", {"mon": [["9am", "5pm"]]}, "HH:MM"),
        ("UTC", {"someday": [["09:00", "10:00"]]}, "weekday"),
        ("UTC", {}, "no working hours"),
    ]
    for tz, hours, msg in bad:
        with pytest.raises(CalendarError, match=msg):
            Calendar.from_spec(tz, hours)
    with pytest.raises(CalendarError, match="holiday_country"):
        Calendar.from_spec("UTC", {"mon": [["09:00", "17:00"]]}, "XX")
    with pytest.raises(ValueError, match="naive"):
        LONDON.add(datetime(2026, 1, 1), timedelta(minutes=1))


instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 1), timezones=st.just(UTC)
)
durations = st.integers(min_value=0, max_value=60 * 24 * 5).map(lambda m: timedelta(minutes=m))
calendars = st.sampled_from([LONDON, NEW_YORK, SPLIT])


@settings(max_examples=200, deadline=None)
@given(calendars, instants, durations)
def test_between_inverts_add(cal, t, d):
    assert cal.between(t, cal.add(t, d)) == d


@settings(max_examples=200, deadline=None)
@given(calendars, instants, durations.filter(lambda d: d > timedelta(0)))
def test_add_lands_inside_a_window(cal, t, d):
    result = cal.add(t, d)
    # Inside (window start, window end]: the instant just before it is working time.
    assert cal.is_working(result - timedelta(microseconds=1))


@settings(max_examples=150, deadline=None)
@given(calendars, instants, durations, durations)
def test_add_is_monotonic_and_between_is_additive(cal, t, d1, d2):
    lo, hi = sorted((d1, d2))
    assert cal.add(t, lo) <= cal.add(t, hi)
    mid = t + timedelta(hours=7)
    end = t + timedelta(days=3)
    assert cal.between(t, end) == cal.between(t, mid) + cal.between(mid, end)
