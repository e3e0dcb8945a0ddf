"""The schedule engine: wall-clock handoffs across DST, overrides, swaps, gaps."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from herodesk.domain.schedule import (
    Override,
    RotationVersion,
    Schedule,
    ScheduleError,
    WeeklyWindow,
    find_overlaps,
    parse_handoff_time,
    propose_swap_partners,
    rotation_boundaries,
    shifts_colliding,
    swap_overrides,
)


def z(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)


def weekly(tz: str, members=("ana", "ben", "cy"), start=z(2026, 1, 5, 9), **kw) -> RotationVersion:
    return RotationVersion(tuple(members), start, time_zone=tz, **kw)


def test_london_weekly_handoff_follows_wall_clock_across_dst():
    v = weekly("Europe/London", start=z(2026, 1, 5, 9))
    b = rotation_boundaries(v, z(2026, 3, 20), z(2026, 4, 7))
    assert b == [z(2026, 3, 23, 9), z(2026, 3, 30, 8), z(2026, 4, 6, 8)]
    b = rotation_boundaries(v, z(2026, 10, 18), z(2026, 11, 3))
    assert b == [z(2026, 10, 19, 8), z(2026, 10, 26, 9), z(2026, 11, 2, 9)]


def test_new_york_weekly_handoff_across_both_changes():
    v = weekly("America/New_York", start=z(2026, 1, 5, 14))  # Monday 09:00 EST
    assert rotation_boundaries(v, z(2026, 3, 1), z(2026, 3, 17)) == [
        z(2026, 3, 2, 14),
        z(2026, 3, 9, 13),
        z(2026, 3, 16, 13),
    ]
    assert rotation_boundaries(v, z(2026, 10, 26), z(2026, 11, 10)) == [
        z(2026, 10, 26, 13),
        z(2026, 11, 2, 14),
        z(2026, 11, 9, 14),
    ]


def test_daily_rotation_in_skipped_and_repeated_hours():
    v = RotationVersion(
        ("a", "b"),
        z(2026, 3, 1),
        turn_days=1,
        handoff_weekday=None,
        handoff_time=time(1, 30),
        time_zone="Europe/London",
    )
    # 01:30 does not exist on 29 March → 02:00 BST = 01:00Z.
    assert rotation_boundaries(v, z(2026, 3, 28), z(2026, 3, 31)) == [
        z(2026, 3, 28, 1, 30),
        z(2026, 3, 29, 1, 0),
        z(2026, 3, 30, 0, 30),
    ]
    # 01:30 happens twice on 25 October → the later one, 01:30 GMT.
    assert rotation_boundaries(v, z(2026, 10, 24), z(2026, 10, 27)) == [
        z(2026, 10, 24, 0, 30),
        z(2026, 10, 25, 1, 30),
        z(2026, 10, 26, 1, 30),
    ]


def test_who_and_turn_order():
    s = Schedule([weekly("Europe/London")], [])
    assert s.who(z(2026, 1, 5, 9)).person == "ana"
    assert s.who(z(2026, 1, 12, 8, 59)).person == "ana"
    assert s.who(z(2026, 1, 12, 9)).person == "ben"
    shift = s.who(z(2026, 3, 31))  # turn 12 → ana, the DST week
    assert (shift.person, shift.start, shift.end, shift.source) == (
        "ana",
        z(2026, 3, 30, 8),
        z(2026, 4, 6, 8),
        "rotation",
    )
    assert s.who(z(2026, 1, 1)).source == "gap"  # before the rotation starts


def test_override_over_part_of_a_shift_splits_it():
    ov = Override(1, "dee", z(2026, 1, 7, 9), z(2026, 1, 8, 9))
    s = Schedule([weekly("Europe/London")], [ov])
    pieces = s.final(z(2026, 1, 5, 9), z(2026, 1, 12, 9))
    assert [(p.person, p.source) for p in pieces] == [
        ("ana", "rotation"),
        ("dee", "override"),
        ("ana", "rotation"),
    ]
    assert s.who(z(2026, 1, 7, 12)).person == "dee"
    assert s.who(z(2026, 1, 7, 12)).override_id == 1


def test_version_change_never_rewrites_the_past():
    v1 = weekly("Europe/London")
    change = z(2026, 2, 4, 12)  # mid-shift
    v1_cut = RotationVersion(v1.members, v1.start, time_zone=v1.time_zone, effective_until=change)
    v2 = weekly("Europe/London", members=("cy", "dee"), start=change)
    before = Schedule([v1], []).final(z(2026, 1, 5, 9), change)
    both = Schedule([v1_cut, v2], [])
    assert both.final(z(2026, 1, 5, 9), change) == before
    assert both.who(change).person == "cy"
    assert both.who(z(2026, 2, 9, 9)).person == "dee"


def test_restrictions_yield_gaps():
    v = weekly(
        "Europe/London", restrictions=tuple(WeeklyWindow(d, time(9), time(17)) for d in range(5))
    )
    s = Schedule([v], [])
    assert s.who(z(2026, 1, 6, 12)).person == "ana"
    assert s.who(z(2026, 1, 6, 20)).source == "gap"


def test_swap_whole_week_keeps_rotation_order():
    s = Schedule([weekly("Europe/London")], [])
    a = s.who(z(2026, 1, 6))
    b = s.who(z(2026, 1, 13))
    pairs = swap_overrides("ana", a, "ben", b, None, "Europe/London")
    ovs = [Override(i, p, lo, hi) for i, (p, lo, hi) in enumerate(pairs)]
    swapped = Schedule([weekly("Europe/London")], ovs)
    assert swapped.who(z(2026, 1, 6)).person == "ben"
    assert swapped.who(z(2026, 1, 13)).person == "ana"
    assert swapped.who(z(2026, 1, 20)).person == "cy"  # order untouched afterwards


def test_swap_single_days():
    s = Schedule([weekly("Europe/London")], [])
    a, b = s.who(z(2026, 1, 6)), s.who(z(2026, 1, 13))
    pairs = swap_overrides(
        "ana", a, "ben", b, [date(2026, 1, 7), date(2026, 1, 14)], "Europe/London"
    )
    assert pairs == [("ben", z(2026, 1, 7), z(2026, 1, 8)), ("ana", z(2026, 1, 14), z(2026, 1, 15))]
    with pytest.raises(ScheduleError, match="days"):
        swap_overrides("ana", a, "ben", b, [date(2026, 2, 1)], "Europe/London")


def test_time_off_collisions_and_partner_proposals():
    v = weekly("Europe/London", members=("ana", "ben", "cy", "dee"))
    s = Schedule([v], [])
    hits = shifts_colliding(s, "ben", z(2026, 3, 10), z(2026, 3, 12))
    assert [(h.person, h.start) for h in hits] == [("ben", z(2026, 3, 10))]
    conflict = s.who(z(2026, 3, 10))
    # ana is on the week before, cy the week after → only dee.
    assert propose_swap_partners(s, v.members, "ben", conflict, z(2026, 3, 1)) == ["dee"]


def test_bad_input():
    with pytest.raises(ScheduleError, match="time_zone"):
        weekly("Mars/Olympus")
    with pytest.raises(ScheduleError, match="handoff_time"):
        parse_handoff_time("25:00")
    with pytest.raises(ScheduleError, match="end"):
        Override(1, "x", z(2026, 1, 2), z(2026, 1, 1))
    with pytest.raises(ScheduleError, match="members"):
        weekly("UTC", members=())


def test_find_overlaps():
    a = Override(1, "x", z(2026, 1, 1), z(2026, 1, 3))
    assert find_overlaps([a], Override(2, "y", z(2026, 1, 2), z(2026, 1, 4))) == [a]
    assert find_overlaps([a], Override(3, "y", z(2026, 1, 3), z(2026, 1, 4))) == []


windows = st.tuples(
    st.datetimes(
        min_value=datetime(2025, 12, 1), max_value=datetime(2027, 6, 1), timezones=st.just(UTC)
    ),
    st.integers(min_value=1, max_value=60 * 24 * 40),
)


@settings(max_examples=150, deadline=None)
@given(
    windows,
    st.sampled_from(["Europe/London", "America/New_York", "Asia/Kolkata"]),
    st.integers(1, 7),
    st.lists(st.tuples(st.integers(0, 600), st.integers(1, 96)), max_size=6),
)
def test_final_covers_the_window_exactly_once(window, tz, turn_days, ov_spec):
    start, minutes = window
    end = start + timedelta(minutes=minutes)
    v = RotationVersion(
        ("a", "b", "c"),
        z(2026, 1, 5, 9),
        turn_days=turn_days,
        handoff_weekday=None if turn_days != 7 else 0,
        time_zone=tz,
    )
    ovs, cursor = [], z(2026, 1, 1)
    for i, (gap_h, len_h) in enumerate(ov_spec):
        lo = cursor + timedelta(hours=gap_h)
        ovs.append(Override(i, f"o{i}", lo, lo + timedelta(hours=len_h)))
        cursor = lo + timedelta(hours=len_h)
    s = Schedule([v], ovs)
    pieces = s.final(start, end)
    assert pieces[0].start == start and pieces[-1].end == end
    for a, b in zip(pieces, pieces[1:], strict=False):
        assert a.end == b.start and a.start < a.end
    probe = start + (end - start) / 2
    inside = next(p for p in pieces if p.start <= probe < p.end)
    assert s.who(probe).person == inside.person


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 200), st.sampled_from(["Europe/London", "America/New_York"]), st.times())
def test_weekly_boundaries_are_at_wall_clock_time(k, tz, at):
    from zoneinfo import ZoneInfo

    at = at.replace(second=0, microsecond=0)
    v = RotationVersion(("a", "b"), z(2026, 1, 5, 12), handoff_time=at, time_zone=tz)
    s, e = z(2026, 1, 1) + timedelta(days=7 * k), z(2026, 1, 1) + timedelta(days=7 * k + 8)
    for b in rotation_boundaries(v, s, e):
        local = b.astimezone(ZoneInfo(tz))
        assert local.weekday() == 0
        assert local.time() >= at or local.time() == at  # moved only forward, in a gap
        assert local.replace(tzinfo=None) - datetime.combine(local.date(), at) < timedelta(
            hours=1, minutes=1
        )
