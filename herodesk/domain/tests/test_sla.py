from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from herodesk.domain import sla
from herodesk.domain.business_hours import Calendar
from herodesk.domain.tiers import Tier, derive_tier

LONDON = Calendar.default("Europe/London", "GB", "ENG")
T = sla.Targets()


def z(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)


def test_defaults_are_the_seeds():
    assert sla.DEFAULT_TARGETS[Tier.NORMAL] == sla.Targets(
        timedelta(minutes=15), timedelta(hours=1), timedelta(hours=8)
    )


def test_due_times_friday_evening():
    due = sla.due_times(LONDON, z(2026, 11, 27, 16, 55), T)
    assert (due.great_by, due.due_by, due.late_after) == (
        z(2026, 11, 30, 9, 10),
        z(2026, 11, 30, 9, 55),
        z(2026, 11, 30, 16, 55),
    )


def test_grades_in_working_time():
    start = z(2026, 11, 27, 16, 55)  # Friday
    assert sla.grade(LONDON, start, z(2026, 11, 30, 9, 5), T) == sla.Grade.GREAT  # 10 working min
    assert sla.grade(LONDON, start, z(2026, 11, 30, 9, 30), T) == sla.Grade.OKAY
    assert sla.grade(LONDON, start, z(2026, 11, 30, 13), T) == sla.Grade.SLOW
    assert sla.grade(LONDON, start, z(2026, 12, 1, 9), T) == sla.Grade.TOO_LATE


def test_pauses_do_not_count():
    start = z(2026, 11, 23, 10)
    pauses = [(z(2026, 11, 23, 10, 5), z(2026, 11, 23, 11, 5))]
    assert sla.elapsed(LONDON, start, z(2026, 11, 23, 11, 15), pauses) == timedelta(minutes=15)
    assert sla.grade(LONDON, start, z(2026, 11, 23, 11, 15), T, pauses) == sla.Grade.GREAT
    assert sla.due_times(LONDON, start, T, pauses).great_by == z(2026, 11, 23, 11, 15)
    still_paused = [(z(2026, 11, 23, 10, 5), None)]
    assert sla.elapsed(LONDON, start, z(2026, 11, 23, 12), still_paused) == timedelta(minutes=5)


def test_breaching_soon():
    due = sla.due_times(LONDON, z(2026, 11, 23, 10), T)
    window = timedelta(minutes=30)
    assert not sla.breaching_soon(z(2026, 11, 23, 10, 10), due, window)
    assert sla.breaching_soon(z(2026, 11, 23, 10, 40), due, window)
    assert not sla.breaching_soon(z(2026, 11, 25, 10), due, window)  # already late


def test_derive_tier():
    assert derive_tier("sentry", "enterprise") == Tier.ALERT
    assert derive_tier("email", "enterprise", escalated=True) == Tier.CS_ESCALATION
    assert derive_tier("email", "enterprise") == Tier.HIGH
    assert derive_tier("email", "teams") == Tier.NORMAL
    assert derive_tier("github", "teams") == Tier.COMMUNITY
    assert derive_tier("email", None) == Tier.LOW
    assert derive_tier("email", "free") == Tier.LOW


@settings(max_examples=150, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2027, 6, 1), timezones=st.just(UTC)
    ),
    st.integers(0, 3000),
    st.integers(0, 3000),
)
def test_grade_is_monotonic_in_response_time(start, a, b):
    order = list(sla.Grade)
    early, late = sorted((a, b))
    g1 = sla.grade(LONDON, start, start + timedelta(minutes=early), T)
    g2 = sla.grade(LONDON, start, start + timedelta(minutes=late), T)
    assert order.index(g1) <= order.index(g2)
