"""R3: an override inside a rotation turn is cover (no hand-off); rotation
boundaries and overrides that run across them are hand-offs."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from herodesk.domain.schedule import Override, RotationVersion, Schedule
from herodesk.domain.schedule.handoffs import classify, rotation_handoffs

START = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)  # Monday 09:00 London (GMT)
WEEK = timedelta(days=7)
ROTA = RotationVersion(
    members=("hera", "tim"),
    start=START,
    handoff_weekday=0,
    handoff_time=time(9, 0),
    time_zone="Europe/London",
)


def kinds(schedule: Schedule, lo: datetime, hi: datetime) -> list[tuple[int, str, str, str]]:
    return [
        (int((c.instant - START).total_seconds() // 3600), str(c.outgoing), str(c.incoming), c.kind)
        for c in classify(schedule, lo, hi)
    ]


def test_a_three_hour_cover_is_two_cover_edges_and_no_handoff() -> None:
    cover = Override(
        1, "tim", START + timedelta(days=2, hours=4), START + timedelta(days=2, hours=7)
    )
    schedule = Schedule([ROTA], [cover])
    assert kinds(schedule, START, START + WEEK + timedelta(hours=1)) == [
        (52, "hera", "tim", "cover_start"),
        (55, "tim", "hera", "cover_end"),
        (168, "hera", "tim", "handoff"),
    ]
    assert [c.instant for c in rotation_handoffs(schedule, START, START + 2 * WEEK)] == [
        START + WEEK
    ]


def test_whole_turns_swapped_by_overrides_hand_off_at_the_boundaries() -> None:
    swap = [
        Override("a", "tim", START, START + WEEK),
        Override("b", "hera", START + WEEK, START + 2 * WEEK),
    ]
    schedule = Schedule([ROTA], swap)
    changes = rotation_handoffs(
        schedule, START - timedelta(hours=1), START + 2 * WEEK + timedelta(hours=1)
    )
    assert [(c.instant, c.outgoing, c.incoming) for c in changes] == [
        (START, None, "tim"),  # the rotation starts
        (START + WEEK, "tim", "hera"),  # hera's turn 2 is hers anyway: no change at 2 weeks
    ]


def test_an_override_across_a_boundary_hands_off_at_its_edges() -> None:
    lena = Override(7, "lena", START + WEEK - timedelta(hours=1), START + WEEK + timedelta(hours=1))
    schedule = Schedule([ROTA], [lena])
    assert kinds(schedule, START, START + 2 * WEEK - timedelta(hours=1)) == [
        (167, "hera", "lena", "handoff"),
        (169, "lena", "tim", "handoff"),
    ]


def test_back_to_back_covers_inside_a_turn_are_cover_changes() -> None:
    a = Override(1, "tim", START + timedelta(hours=30), START + timedelta(hours=32))
    b = Override(2, "lena", START + timedelta(hours=32), START + timedelta(hours=33))
    schedule = Schedule([ROTA], [a, b])
    assert kinds(schedule, START, START + timedelta(days=3)) == [
        (30, "hera", "tim", "cover_start"),
        (32, "tim", "lena", "cover_start"),
        (33, "lena", "hera", "cover_end"),
    ]
