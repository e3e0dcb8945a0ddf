"""The schedule engine: wall-clock handoffs across DST, turns, versions,
restrictions, overrides, gaps, swaps and time off. Every UTC literal below is computed by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from herodesk.domain.schedule import (
    Override,
    RotationVersion,
    Schedule,
    ScheduleError,
    Shift,
    WeeklyWindow,
    find_overlaps,
    parse_handoff_time,
    propose_swap_partners,
    rotation_boundaries,
    shifts_colliding,
    swap_overrides,
    validate_time_zone,
    wall_clock,
)

LONDON, NEW_YORK = "Europe/London", "America/New_York"


def z(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)


def weekly(tz: str = LONDON, members=("ana", "ben", "cy"), start=z(2026, 1, 5, 9), **kw):
    return RotationVersion(tuple(members), start, time_zone=tz, **kw)


def daily(tz: str, at: time, members=("a", "b"), start=z(2026, 1, 1), **kw):
    return RotationVersion(
        tuple(members), start, turn_days=1, handoff_weekday=None, handoff_time=at, time_zone=tz,
        **kw,
    )  # fmt: skip


def summary(pieces):
    return [(p.person, p.start, p.end, p.source) for p in pieces]


# --- wall-clock handoffs across DST -------------------------------------------------------


def test_london_weekly_monday_0900_is_0900z_in_winter_and_0800z_in_summer():
    v = weekly(LONDON)
    assert rotation_boundaries(v, z(2026, 3, 20), z(2026, 4, 7)) == [
        z(2026, 3, 23, 9),  # GMT
        z(2026, 3, 30, 8),  # BST from 29 March
        z(2026, 4, 6, 8),
    ]
    assert rotation_boundaries(v, z(2026, 10, 18), z(2026, 11, 3)) == [
        z(2026, 10, 19, 8),  # BST
        z(2026, 10, 26, 9),  # GMT from 25 October
        z(2026, 11, 2, 9),
    ]


def test_new_york_weekly_handoff_across_both_changes():
    v = weekly(NEW_YORK, start=z(2026, 1, 5, 14))  # Monday 09:00 EST
    assert rotation_boundaries(v, z(2026, 3, 1), z(2026, 3, 17)) == [
        z(2026, 3, 2, 14),  # EST, UTC−5
        z(2026, 3, 9, 13),  # EDT from 8 March, UTC−4
        z(2026, 3, 16, 13),
    ]
    assert rotation_boundaries(v, z(2026, 10, 26), z(2026, 11, 10)) == [
        z(2026, 10, 26, 13),
        z(2026, 11, 2, 14),  # EST again from 1 November
        z(2026, 11, 9, 14),
    ]


def test_london_daily_0900_across_both_changes():
    v = daily(LONDON, time(9))
    assert rotation_boundaries(v, z(2026, 3, 28), z(2026, 3, 31)) == [
        z(2026, 3, 28, 9),
        z(2026, 3, 29, 8),
        z(2026, 3, 30, 8),
    ]
    assert rotation_boundaries(v, z(2026, 10, 24), z(2026, 10, 27)) == [
        z(2026, 10, 24, 8),
        z(2026, 10, 25, 9),
        z(2026, 10, 26, 9),
    ]


def test_new_york_daily_0900_across_both_changes():
    v = daily(NEW_YORK, time(9))
    assert rotation_boundaries(v, z(2026, 3, 7), z(2026, 3, 9)) == [
        z(2026, 3, 7, 14),
        z(2026, 3, 8, 13),
    ]
    assert rotation_boundaries(v, z(2026, 10, 31), z(2026, 11, 2)) == [
        z(2026, 10, 31, 13),
        z(2026, 11, 1, 14),
    ]


def test_london_handoff_in_the_skipped_hour_moves_to_0200_bst():
    v = daily(LONDON, time(1, 30))
    # 01:30 does not exist on 29 March → 02:00 BST = 01:00Z.
    assert rotation_boundaries(v, z(2026, 3, 28), z(2026, 3, 31)) == [
        z(2026, 3, 28, 1, 30),
        z(2026, 3, 29, 1, 0),
        z(2026, 3, 30, 0, 30),
    ]


def test_london_handoff_in_the_repeated_hour_takes_the_later_one():
    v = daily(LONDON, time(1, 30))
    # 01:30 happens at 00:30Z (BST) and 01:30Z (GMT) on 25 October → 01:30Z.
    assert rotation_boundaries(v, z(2026, 10, 24), z(2026, 10, 27)) == [
        z(2026, 10, 24, 0, 30),
        z(2026, 10, 25, 1, 30),
        z(2026, 10, 26, 1, 30),
    ]


def test_new_york_skipped_and_repeated_hours():
    v = daily(NEW_YORK, time(2, 30))  # 02:30 does not exist on 8 March → 03:00 EDT
    assert rotation_boundaries(v, z(2026, 3, 7), z(2026, 3, 10)) == [
        z(2026, 3, 7, 7, 30),
        z(2026, 3, 8, 7, 0),
        z(2026, 3, 9, 6, 30),
    ]
    v = daily(NEW_YORK, time(1, 30))  # 01:30 twice on 1 November → 01:30 EST
    assert rotation_boundaries(v, z(2026, 10, 31), z(2026, 11, 3)) == [
        z(2026, 10, 31, 5, 30),
        z(2026, 11, 1, 6, 30),
        z(2026, 11, 2, 6, 30),
    ]


def test_wall_clock_resolves_gaps_and_folds():
    london = ZoneInfo(LONDON)
    assert wall_clock(date(2026, 3, 29), time(1, 0), london) == z(2026, 3, 29, 1)
    assert wall_clock(date(2026, 3, 29), time(1, 59), london) == z(2026, 3, 29, 1)
    assert wall_clock(date(2026, 3, 29), time(2, 0), london) == z(2026, 3, 29, 1)
    assert wall_clock(date(2026, 10, 25), time(1, 0), london) == z(2026, 10, 25, 1)
    assert wall_clock(date(2026, 10, 25), time(0, 59), london) == z(2026, 10, 24, 23, 59)
    # A whole skipped day: Samoa jumped from 29 to 31 December 2011.
    apia = ZoneInfo("Pacific/Apia")
    assert wall_clock(date(2011, 12, 30), time(9), apia) == z(2011, 12, 30, 10)


# --- turns ---------------------------------------------------------------------------------


def test_turn_order_and_who():
    s = Schedule([weekly()], [])
    assert s.who(z(2026, 1, 5, 9)).person == "ana"
    assert s.who(z(2026, 1, 12, 8, 59)).person == "ana"
    assert s.who(z(2026, 1, 12, 9)).person == "ben"
    shift = s.who(z(2026, 3, 31))  # turn 12 → ana, the first BST week
    assert summary([shift]) == [("ana", z(2026, 3, 30, 8), z(2026, 4, 6, 8), "rotation")]
    assert shift.turn_index == 12


def test_turn_index_far_ahead_is_arithmetic():
    s = Schedule([weekly()], [])
    shift = s.who(z(2031, 1, 8))  # 261 weeks after 5 January 2026
    assert (shift.turn_index, shift.person) == (261, "ana")
    assert (shift.start, shift.end) == (z(2031, 1, 6, 9), z(2031, 1, 13, 9))


def test_anchor_is_the_first_handoff_weekday_on_or_after_start_and_lead_in_is_turn_minus_one():
    v = weekly(start=z(2026, 1, 7, 12))  # a Wednesday; handoffs on Mondays
    s = Schedule([v], [])
    lead_in = s.who(z(2026, 1, 8))
    assert (lead_in.person, lead_in.turn_index) == ("cy", -1)  # the last member
    assert (lead_in.start, lead_in.end) == (z(2026, 1, 7, 12), z(2026, 1, 12, 9))
    assert (s.who(z(2026, 1, 12, 9)).person, s.who(z(2026, 1, 12, 9)).turn_index) == ("ana", 0)
    assert s.who(z(2026, 1, 7, 11)).source == "gap"  # before the version begins


def test_daily_rotation_without_weekday_anchors_on_starts_date():
    s = Schedule([daily(LONDON, time(9), members=("a", "b", "c"), start=z(2026, 2, 2, 12))], [])
    first = s.who(z(2026, 2, 2, 12))
    assert summary([first]) == [("a", z(2026, 2, 2, 12), z(2026, 2, 3, 9), "rotation")]
    assert s.who(z(2026, 2, 3, 9)).person == "b"
    assert s.who(z(2026, 2, 4, 9)).person == "c"


def test_turns_of_fourteen_days_keep_the_handoff_weekday():
    v = weekly(turn_days=14, handoff_weekday=3, start=z(2026, 1, 1, 9))  # Thursday
    b = rotation_boundaries(v, z(2026, 1, 1), z(2026, 2, 20))
    assert b == [z(2026, 1, 1, 9), z(2026, 1, 15, 9), z(2026, 1, 29, 9), z(2026, 2, 12, 9)]


# --- overrides -------------------------------------------------------------------------------


def test_override_over_part_of_a_shift_splits_it_in_three():
    ov = Override(7, "dee", z(2026, 1, 7, 9), z(2026, 1, 8, 9))
    s = Schedule([weekly()], [ov])
    pieces = s.final(z(2026, 1, 5, 9), z(2026, 1, 12, 9))
    assert summary(pieces) == [
        ("ana", z(2026, 1, 5, 9), z(2026, 1, 7, 9), "rotation"),
        ("dee", z(2026, 1, 7, 9), z(2026, 1, 8, 9), "override"),
        ("ana", z(2026, 1, 8, 9), z(2026, 1, 12, 9), "rotation"),
    ]
    assert [p.turn_index for p in pieces] == [0, None, 0]
    assert s.who(z(2026, 1, 7, 12)) == Shift(
        "dee", z(2026, 1, 7, 9), z(2026, 1, 8, 9), "override", override_id=7
    )
    assert s.who(z(2026, 1, 10)) == pieces[2]


def test_override_across_a_handoff_and_window_edges():
    ov = Override("x", "dee", z(2026, 1, 11), z(2026, 1, 13))
    s = Schedule([weekly()], [ov])
    pieces = s.final(z(2026, 1, 12), z(2026, 1, 14))
    assert summary(pieces) == [
        ("dee", z(2026, 1, 12), z(2026, 1, 13), "override"),
        ("ben", z(2026, 1, 13), z(2026, 1, 14), "rotation"),
    ]
    assert s.who(z(2026, 1, 12, 12)).start == z(2026, 1, 11)  # who gives the whole override


def test_overlapping_overrides_passed_anyway_the_earlier_start_wins():
    a = Override(1, "dee", z(2026, 1, 6), z(2026, 1, 8))
    b = Override(2, "eve", z(2026, 1, 7), z(2026, 1, 9))
    s = Schedule([weekly()], [b, a])
    assert [(p.person, p.start) for p in s.final(z(2026, 1, 6), z(2026, 1, 10))] == [
        ("dee", z(2026, 1, 6)),
        ("eve", z(2026, 1, 8)),
        ("ana", z(2026, 1, 9)),
    ]
    assert s.who(z(2026, 1, 7, 12)).person == "dee"


# --- versions --------------------------------------------------------------------------------


def test_a_version_change_at_a_future_instant_never_rewrites_the_past():
    v1 = weekly()
    change = z(2026, 2, 4, 12)  # Wednesday of turn 4 (ben)
    v2 = weekly(members=("cy", "dee"), start=z(2026, 2, 2, 9), effective_from=change)
    before = Schedule([v1], []).final(z(2026, 1, 5, 9), change)
    both = Schedule([v1, v2], [])
    assert both.final(z(2026, 1, 5, 9), change) == before
    assert summary(both.final(z(2026, 2, 2, 9), z(2026, 2, 16, 9))) == [
        ("ben", z(2026, 2, 2, 9), change, "rotation"),  # the shift in progress is cut
        ("cy", change, z(2026, 2, 9, 9), "rotation"),
        ("dee", z(2026, 2, 9, 9), z(2026, 2, 16, 9), "rotation"),
    ]
    cut = weekly(effective_until=change)  # an explicit end gives the same schedule
    assert Schedule([cut, v2], []).final(z(2026, 1, 1), z(2026, 3, 1)) == both.final(
        z(2026, 1, 1), z(2026, 3, 1)
    )


def test_no_version_in_force_is_a_gap():
    v1 = weekly(effective_until=z(2026, 1, 19, 9))
    v2 = weekly(members=("dee",), start=z(2026, 2, 2, 9))
    s = Schedule([v2, v1], [])
    assert summary(s.final(z(2026, 1, 12, 9), z(2026, 2, 3))) == [
        ("ben", z(2026, 1, 12, 9), z(2026, 1, 19, 9), "rotation"),
        (None, z(2026, 1, 19, 9), z(2026, 2, 2, 9), "gap"),
        ("dee", z(2026, 2, 2, 9), z(2026, 2, 3), "rotation"),
    ]
    gap = s.who(z(2026, 1, 25))
    assert summary([gap]) == [(None, z(2026, 1, 19, 9), z(2026, 2, 2, 9), "gap")]


def test_open_ended_gaps_are_cut_at_the_instant_asked_about():
    s = Schedule([weekly(effective_until=z(2026, 2, 2, 9))], [])
    assert summary([s.who(z(2025, 6, 1))]) == [(None, z(2025, 6, 1), z(2026, 1, 5, 9), "gap")]
    after = s.who(z(2027, 1, 1))
    assert (after.start, after.end) == (z(2026, 2, 2, 9), z(2027, 1, 1) + timedelta(microseconds=1))
    empty = Schedule([], [])
    assert summary(empty.final(z(2026, 1, 1), z(2026, 1, 2))) == [
        (None, z(2026, 1, 1), z(2026, 1, 2), "gap")
    ]


# --- restrictions ----------------------------------------------------------------------------

OFFICE = tuple(WeeklyWindow(d, time(9), time(17)) for d in range(5))


def test_restrictions_leave_gaps_outside_the_windows():
    s = Schedule([weekly(restrictions=OFFICE)], [])
    assert summary([s.who(z(2026, 1, 6, 12))]) == [
        ("ana", z(2026, 1, 6, 9), z(2026, 1, 6, 17), "rotation")
    ]
    assert summary([s.who(z(2026, 1, 6, 20))]) == [
        (None, z(2026, 1, 6, 17), z(2026, 1, 7, 9), "gap")
    ]
    weekend = s.who(z(2026, 1, 10))
    assert (weekend.start, weekend.end) == (z(2026, 1, 9, 17), z(2026, 1, 12, 9))
    july = s.who(z(2026, 7, 7, 12))  # BST: 09:00–17:00 local is 08:00Z–16:00Z
    assert (july.start, july.end) == (z(2026, 7, 7, 8), z(2026, 7, 7, 16))


def test_a_gap_across_a_handoff_is_one_piece():
    windows = tuple(WeeklyWindow(d, time(10), time(17)) for d in range(5))
    s = Schedule([weekly(restrictions=windows)], [])
    pieces = s.final(z(2026, 1, 9, 12), z(2026, 1, 12, 12))
    assert summary(pieces) == [
        ("ana", z(2026, 1, 9, 12), z(2026, 1, 9, 17), "rotation"),
        (None, z(2026, 1, 9, 17), z(2026, 1, 12, 10), "gap"),  # crosses Monday 09:00
        ("ben", z(2026, 1, 12, 10), z(2026, 1, 12, 12), "rotation"),
    ]
    assert s.who(z(2026, 1, 12, 9, 30)) == pieces[1]


def test_windows_past_midnight_and_whole_days():
    night = (WeeklyWindow(4, time(22), time(6)), WeeklyWindow(5, time(0), time(0)))
    s = Schedule([weekly(restrictions=night)], [])
    pieces = s.final(z(2026, 1, 9, 12), z(2026, 1, 11, 12))
    assert summary(pieces) == [
        (None, z(2026, 1, 9, 12), z(2026, 1, 9, 22), "gap"),
        ("ana", z(2026, 1, 9, 22), z(2026, 1, 11), "rotation"),  # Fri 22:00 → Sat 24:00
        (None, z(2026, 1, 11), z(2026, 1, 11, 12), "gap"),
    ]


# --- bad input -------------------------------------------------------------------------------


def test_bad_input_is_a_schedule_error_naming_the_field():
    with pytest.raises(ScheduleError, match="time_zone: unknown time zone 'Mars/Olympus'"):
        weekly("Mars/Olympus")
    with pytest.raises(ScheduleError, match="time_zone"):
        validate_time_zone("")
    for bad in ("25:00", "9:5", "09:60", "", "09:00:00", "ab:cd"):
        with pytest.raises(ScheduleError, match="handoff_time"):
            parse_handoff_time(bad)
    assert parse_handoff_time("9:05") == time(9, 5)
    assert parse_handoff_time("23:59") == time(23, 59)
    with pytest.raises(ScheduleError, match="end"):
        Override(1, "x", z(2026, 1, 2), z(2026, 1, 1))
    with pytest.raises(ScheduleError, match="end"):
        Schedule([], []).final(z(2026, 1, 2), z(2026, 1, 2))
    with pytest.raises(ScheduleError, match="end"):
        rotation_boundaries(weekly(), z(2026, 1, 2), z(2026, 1, 1))
    with pytest.raises(ScheduleError, match="members"):
        weekly(members=())
    with pytest.raises(ScheduleError, match="start"):
        weekly(start=datetime(2026, 1, 5, 9))  # naive
    with pytest.raises(ScheduleError, match="at"):
        Schedule([], []).who(datetime(2026, 1, 5))
    with pytest.raises(ScheduleError, match="turn_days"):
        weekly(turn_days=0)
    with pytest.raises(ScheduleError, match="handoff_weekday"):
        weekly(handoff_weekday=7)
    with pytest.raises(ScheduleError, match="effective_until"):
        weekly(effective_until=z(2026, 1, 1))
    with pytest.raises(ScheduleError, match="restrictions"):
        WeeklyWindow(7, time(9), time(17))


# --- swaps, time off, overlaps ---------------------------------------------------------------


def as_overrides(plan, first_id=100):
    return [Override(first_id + i, p, lo, hi) for i, (p, lo, hi) in enumerate(plan)]


def rotation_pieces(s: Schedule, start, end):
    return [(p.person, p.start, p.end, p.turn_index) for p in s.final(start, end)]


def test_swap_of_a_whole_week_keeps_the_rotation_order():
    v = weekly()
    s = Schedule([v], [])
    a, b = s.who(z(2026, 1, 6)), s.who(z(2026, 1, 13))
    plan = swap_overrides("ana", a, "ben", b, None, LONDON)
    assert plan == [
        ("ben", z(2026, 1, 5, 9), z(2026, 1, 12, 9)),
        ("ana", z(2026, 1, 12, 9), z(2026, 1, 19, 9)),
    ]
    swapped = Schedule([v], as_overrides(plan))
    assert swapped.who(z(2026, 1, 6)).person == "ben"
    assert swapped.who(z(2026, 1, 13)).person == "ana"
    # Afterwards the rotation is exactly what it was: same people, same turns.
    later = (z(2026, 1, 19, 9), z(2026, 6, 1))
    assert rotation_pieces(swapped, *later) == rotation_pieces(s, *later)
    assert swapped.who(z(2026, 1, 20)).turn_index == 2


def test_swap_of_single_days_trades_only_those_local_days():
    v = weekly()
    s = Schedule([v], [])
    a, b = s.who(z(2026, 1, 6)), s.who(z(2026, 1, 13))
    plan = swap_overrides("ana", a, "ben", b, [date(2026, 1, 7), date(2026, 1, 14)], LONDON)
    assert plan == [("ben", z(2026, 1, 7), z(2026, 1, 8)), ("ana", z(2026, 1, 14), z(2026, 1, 15))]
    swapped = Schedule([v], as_overrides(plan))
    assert [(p.person, p.source) for p in swapped.final(z(2026, 1, 5, 9), z(2026, 1, 19, 9))] == [
        ("ana", "rotation"),
        ("ben", "override"),
        ("ana", "rotation"),
        ("ben", "rotation"),
        ("ana", "override"),
        ("ben", "rotation"),
    ]
    outside = (z(2026, 1, 19, 9), z(2026, 3, 1))
    assert rotation_pieces(swapped, *outside) == rotation_pieces(s, *outside)


def test_a_chosen_day_on_a_handoff_trades_both_parts_of_it():
    s = Schedule([weekly()], [])
    a, b = s.who(z(2026, 1, 6)), s.who(z(2026, 1, 13))
    assert swap_overrides("ana", a, "ben", b, [date(2026, 1, 12)], LONDON) == [
        ("ben", z(2026, 1, 12), z(2026, 1, 12, 9)),  # the morning of ana's last day
        ("ana", z(2026, 1, 12, 9), z(2026, 1, 13)),  # the rest of ben's first day
    ]


def test_days_are_local_days_and_consecutive_ones_join():
    s = Schedule([weekly()], [])
    a, b = s.who(z(2026, 7, 7)), s.who(z(2026, 7, 14))
    plan = swap_overrides(
        a.person, a, b.person, b, [date(2026, 7, 8), date(2026, 7, 9), date(2026, 7, 15)], LONDON
    )
    assert plan == [  # BST: a London day is 23:00Z → 23:00Z
        (b.person, z(2026, 7, 7, 23), z(2026, 7, 9, 23)),
        (a.person, z(2026, 7, 14, 23), z(2026, 7, 15, 23)),
    ]


def test_bad_swaps():
    s = Schedule([weekly()], [])
    a, b = s.who(z(2026, 1, 6)), s.who(z(2026, 1, 13))
    with pytest.raises(ScheduleError, match="days"):
        swap_overrides("ana", a, "ben", b, [date(2026, 2, 1)], LONDON)
    with pytest.raises(ScheduleError, match="days"):
        swap_overrides("ana", a, "ben", b, [date(2026, 1, 7)], LONDON)  # nothing back
    with pytest.raises(ScheduleError, match="counterpart"):
        swap_overrides("ana", a, "ana", b, None, LONDON)
    with pytest.raises(ScheduleError, match="overlap"):
        swap_overrides("ana", a, "ben", a, None, LONDON)
    with pytest.raises(ScheduleError, match="time_zone"):
        swap_overrides("ana", a, "ben", b, [date(2026, 1, 7)], "Nowhere/Else")


def test_time_off_collisions_return_whole_shifts():
    s = Schedule([weekly(members=("ana", "ben", "cy", "dee"))], [])
    hits = shifts_colliding(s, "ben", z(2026, 3, 10), z(2026, 3, 12))
    assert [(h.person, h.start, h.end) for h in hits] == [
        ("ben", z(2026, 3, 9, 9), z(2026, 3, 16, 9))
    ]
    assert shifts_colliding(s, "ben", z(2026, 3, 17), z(2026, 3, 19)) == []
    two = shifts_colliding(s, "ben", z(2026, 3, 1), z(2026, 4, 30))
    assert [h.start for h in two] == [z(2026, 3, 9, 9), z(2026, 4, 6, 8)]


def test_partners_exclude_neighbours_and_prefer_fewest_recent_shifts():
    members = ("ana", "ben", "cy", "dee", "eve", "fay")
    # Turns 0–7 before 1 March: ana 0,6 · ben 1,7 · cy 2 · dee 3 · eve 4 · fay 5.
    overrides = [
        Override(1, "eve", z(2026, 2, 20), z(2026, 2, 21)),  # eve: 2 shifts
        Override(2, "ana", z(2026, 2, 11), z(2026, 2, 12)),  # ana: 3; fay's turn 5 cut in two
    ]
    s = Schedule([weekly(members=members)], overrides)
    conflict = s.who(z(2026, 3, 10))  # dee, turn 9; cy before (8), eve after (10)
    assert (conflict.person, conflict.turn_index) == ("dee", 9)
    now = z(2026, 3, 1)
    assert propose_swap_partners(s, members, "dee", conflict, now) == ["fay", "ben", "ana"]
    assert propose_swap_partners(s, members, "dee", conflict, now, lookback=timedelta(days=14)) == [
        "ana",  # one turn each in the fortnight: by name
        "ben",
        "fay",
    ]


def test_partners_adjacent_through_an_override():
    members = ("ana", "ben", "cy", "dee")
    plain = Schedule([weekly(members=members)], [])
    conflict = plain.who(z(2026, 3, 10))  # ben, turn 9: ana before (8), cy after (10)
    assert propose_swap_partners(plain, members, "ben", conflict, z(2026, 3, 1)) == ["dee"]
    cover = Override(1, "dee", z(2026, 3, 8), z(2026, 3, 9, 9))  # dee ends ana's turn
    s = Schedule([weekly(members=members)], [cover])
    assert propose_swap_partners(s, members, "ben", conflict, z(2026, 3, 1)) == ["ana"]


def test_find_overlaps():
    a = Override(1, "x", z(2026, 1, 1), z(2026, 1, 3))
    b = Override(2, "x", z(2026, 1, 5), z(2026, 1, 6))
    assert find_overlaps([b, a], Override(3, "y", z(2026, 1, 2), z(2026, 1, 6))) == [a, b]
    assert find_overlaps([a], Override(4, "y", z(2026, 1, 3), z(2026, 1, 4))) == []  # touching
    assert find_overlaps([a], Override(1, "x", z(2026, 1, 1), z(2026, 1, 4))) == []  # itself
