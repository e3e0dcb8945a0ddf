"""Response targets: hand-computed due times, grades, pauses, and properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from herodesk.domain import sla
from herodesk.domain.business_hours import Calendar
from herodesk.domain.tiers import Tier

LONDON = Calendar.default("Europe/London", "GB", "ENG")
NEW_YORK = Calendar.default("America/New_York", "US", "NY")
T = sla.Targets()
H = timedelta(hours=1)
M = timedelta(minutes=1)


def z(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=UTC)


def test_defaults_are_the_seeds_for_every_tier() -> None:
    seed = sla.Targets(15 * M, H, 8 * H)
    assert seed == T
    assert set(sla.DEFAULT_TARGETS) == set(Tier)
    assert all(targets == seed for targets in sla.DEFAULT_TARGETS.values())


def test_targets_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        sla.Targets(great=-M)


def test_friday_16_55_london_is_great_by_monday_09_10() -> None:
    due = sla.due_times(LONDON, z(2026, 1, 16, 16, 55), T)
    assert due == sla.Due(z(2026, 1, 19, 9, 10), z(2026, 1, 19, 9, 55), z(2026, 1, 19, 16, 55))
    summer = sla.due_times(LONDON, z(2026, 7, 3, 15, 55), T)  # 16:55 BST
    assert summer.great_by == z(2026, 7, 6, 8, 10)  # Monday 09:10 BST


def test_due_times_over_easter_and_christmas() -> None:
    easter = sla.due_times(LONDON, z(2026, 4, 2, 15, 30), T)  # Thu 16:30 BST
    assert easter.great_by == z(2026, 4, 2, 15, 45)
    assert easter.due_by == z(2026, 4, 7, 8, 30)  # Tue 09:30 BST
    assert easter.late_after == z(2026, 4, 7, 15, 30)  # Tue 16:30 BST
    christmas = sla.due_times(LONDON, z(2026, 12, 24, 12), T)
    assert christmas.late_after == z(2026, 12, 29, 12)  # Fri 25 and Mon 28 closed


def test_due_times_in_new_york_over_spring_forward() -> None:
    due = sla.due_times(NEW_YORK, z(2026, 3, 6, 21, 30), T)  # Fri 16:30 EST
    assert due.great_by == z(2026, 3, 6, 21, 45)
    assert due.due_by == z(2026, 3, 9, 13, 30)  # Mon 09:30 EDT


def test_grades_in_working_time() -> None:
    start = z(2026, 11, 27, 16, 55)  # Friday
    assert sla.grade(LONDON, start, z(2026, 11, 30, 9, 5), T) == sla.Grade.GREAT  # 10 min
    assert sla.grade(LONDON, start, z(2026, 11, 30, 9, 10), T) == sla.Grade.GREAT  # exactly 15
    assert sla.grade(LONDON, start, z(2026, 11, 30, 9, 30), T) == sla.Grade.OKAY
    assert sla.grade(LONDON, start, z(2026, 11, 30, 13), T) == sla.Grade.SLOW
    assert sla.grade(LONDON, start, z(2026, 11, 30, 16, 55), T) == sla.Grade.SLOW  # exactly 8 h
    assert sla.grade(LONDON, start, z(2026, 12, 1, 9), T) == sla.Grade.TOO_LATE
    assert str(sla.Grade.TOO_LATE) == "too_late"


def test_pauses_do_not_count() -> None:
    start = z(2026, 11, 23, 10)  # Monday
    pauses = [(z(2026, 11, 23, 10, 5), z(2026, 11, 23, 11, 5))]
    assert sla.elapsed(LONDON, start, z(2026, 11, 23, 11, 15), pauses) == 15 * M
    assert sla.grade(LONDON, start, z(2026, 11, 23, 11, 15), T, pauses) == sla.Grade.GREAT
    due = sla.due_times(LONDON, start, T, pauses)
    # Every target is pushed by the hour paused: 9 working hours → Tue 11:00.
    assert due == sla.Due(z(2026, 11, 23, 11, 15), z(2026, 11, 23, 12), z(2026, 11, 24, 11))


def test_a_pause_after_a_due_time_does_not_move_it() -> None:
    start = z(2026, 11, 23, 10)
    due = sla.due_times(LONDON, start, T, [(z(2026, 11, 23, 14), z(2026, 11, 23, 15))])
    assert due == sla.Due(z(2026, 11, 23, 10, 15), z(2026, 11, 23, 11), z(2026, 11, 24, 11))


def test_a_pause_over_the_weekend_counts_only_its_working_time() -> None:
    start = z(2026, 11, 27, 16)  # Friday
    pauses = [(z(2026, 11, 27, 16, 30), z(2026, 11, 30, 10))]  # 30 min Fri + 1 h Mon
    assert sla.elapsed(LONDON, start, z(2026, 11, 30, 11), pauses) == 90 * M
    assert sla.grade(LONDON, start, z(2026, 11, 30, 11), T, pauses) == sla.Grade.SLOW
    assert sla.due_times(LONDON, start, T, pauses).due_by == z(2026, 11, 30, 10, 30)


def test_overlapping_and_out_of_range_pauses_count_once() -> None:
    start = z(2026, 11, 23, 10)
    overlapping = [
        (z(2026, 11, 23, 10, 20), z(2026, 11, 23, 11, 5)),
        (z(2026, 11, 23, 10, 5), z(2026, 11, 23, 10, 35)),
        (z(2026, 11, 23, 9), z(2026, 11, 23, 9, 30)),  # before the clock started
        (z(2026, 11, 23, 13), z(2026, 11, 23, 12)),  # empty
    ]
    assert sla.elapsed(LONDON, start, z(2026, 11, 23, 11, 15), overlapping) == 15 * M
    assert sla.due_times(LONDON, start, T, overlapping).great_by == z(2026, 11, 23, 11, 15)
    straddling = [(z(2026, 11, 23, 9), z(2026, 11, 23, 10, 30))]
    assert sla.elapsed(LONDON, start, z(2026, 11, 23, 11), straddling) == 30 * M


def test_open_pauses() -> None:
    start = z(2026, 11, 23, 10)
    still_paused = [(z(2026, 11, 23, 10, 5), None)]
    assert sla.elapsed(LONDON, start, z(2026, 11, 23, 12), still_paused) == 5 * M
    assert sla.grade(LONDON, start, z(2026, 11, 25, 12), T, still_paused) == sla.Grade.GREAT
    with pytest.raises(ValueError, match="open"):
        sla.due_times(LONDON, start, T, still_paused)


def test_breaching_soon_is_a_wall_clock_check_before_due_by() -> None:
    due = sla.due_times(LONDON, z(2026, 11, 23, 10), T)  # due_by 11:00
    window = 30 * M
    assert not sla.breaching_soon(z(2026, 11, 23, 10, 10), due, window)
    assert sla.breaching_soon(z(2026, 11, 23, 10, 30), due, window)
    assert sla.breaching_soon(z(2026, 11, 23, 10, 59), due, window)
    assert not sla.breaching_soon(z(2026, 11, 23, 11), due, window)  # already due
    assert not sla.breaching_soon(z(2026, 11, 25, 10), due, window)  # long late


def test_next_reply_uses_the_requester_message_time_as_start() -> None:
    follow_up = z(2026, 11, 23, 16, 50)  # the requester writes again late on Monday
    assert sla.due_times(LONDON, follow_up, T).great_by == z(2026, 11, 24, 9, 5)


# ----- properties -------------------------------------------------------------
US = timedelta(microseconds=1)
instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 6, 1), timezones=st.just(UTC)
)
offsets = st.integers(min_value=0, max_value=10 * 86400 * 10**6).map(lambda us: us * US)
targets = st.tuples(*[st.integers(0, 20 * 60) for _ in range(3)]).map(
    lambda m: sla.Targets(*(timedelta(minutes=x) for x in sorted(m)))
)
pause_lists = st.lists(st.tuples(offsets, offsets), max_size=4)
PROPS = settings(max_examples=200, deadline=None)


def _pauses(start: datetime, raw: list[tuple[timedelta, timedelta]]) -> list[sla.Pause]:
    return [(start + min(a, b), start + max(a, b)) for a, b in raw]


@PROPS
@given(instants, targets)
def test_due_times_are_three_adds(start: datetime, tg: sla.Targets) -> None:
    due = sla.due_times(LONDON, start, tg)
    assert due.great_by == LONDON.add(start, tg.great)
    assert due.due_by == LONDON.add(start, tg.okay)
    assert due.late_after == LONDON.add(start, tg.late)


@PROPS
@given(instants, targets, pause_lists)
def test_paused_due_times_leave_exactly_the_target_of_unpaused_work(
    start: datetime, tg: sla.Targets, raw: list[tuple[timedelta, timedelta]]
) -> None:
    pauses = _pauses(start, raw)
    due = sla.due_times(LONDON, start, tg, pauses)
    assert sla.elapsed(LONDON, start, due.great_by, pauses) == tg.great
    assert sla.elapsed(LONDON, start, due.due_by, pauses) == tg.okay
    assert sla.elapsed(LONDON, start, due.late_after, pauses) == tg.late
    assert due.great_by <= due.due_by <= due.late_after
    assert due.due_by >= sla.due_times(LONDON, start, tg).due_by  # pauses only push later


@PROPS
@given(instants, offsets, offsets, pause_lists)
def test_grade_is_monotonic_in_response_time(
    start: datetime, a: timedelta, b: timedelta, raw: list[tuple[timedelta, timedelta]]
) -> None:
    order = list(sla.Grade)
    early, late = sorted((a, b))
    pauses = _pauses(start, raw)
    g1 = sla.grade(LONDON, start, start + early, T, pauses)
    g2 = sla.grade(LONDON, start, start + late, T, pauses)
    assert order.index(g1) <= order.index(g2)


@PROPS
@given(instants, offsets)
def test_grade_matches_due_times(start: datetime, after: timedelta) -> None:
    """Up to a due instant the grade is at least that good; once the working clock
    has run past it (after the next opening, if it fell on a closing time), worse."""
    due = sla.due_times(LONDON, start, T)
    at = start + after
    rank = list(sla.Grade).index(sla.grade(LONDON, start, at, T))
    for level, instant in enumerate((due.great_by, due.due_by, due.late_after)):
        if at <= instant:
            assert rank <= level
        if at > LONDON.next_open(instant):
            assert rank > level
