"""Property: whatever overrides are placed (through the actions, replacing one
another), every instant of a window is covered by exactly one shift or one
reported gap, and each instant's hero is the last override placed over it,
else the rotation member whose turn it is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from herodesk.rotations import actions, queries
from herodesk.rotations.tests.conftest import utc

pytestmark = pytest.mark.django_db

START = utc("2025-03-24 00:00")  # a daily rotation over London's spring-forward weekend
HOURS = 10 * 24
MEMBERS = ["hera", "tim", "lena"]
placements = st.lists(
    st.tuples(st.integers(0, HOURS - 1), st.integers(1, 72), st.sampled_from(MEMBERS)),
    max_size=6,
)


def expected_rotation(hour: int) -> str:
    """Daily 09:00 London handoffs from 24 March 09:00 GMT (hera first)."""
    at = START + timedelta(hours=hour, minutes=30)
    handoffs = [utc(f"2025-03-{d} 09:00") for d in range(24, 30)]
    handoffs += [utc(f"2025-03-{d} 08:00") for d in range(30, 32)]
    handoffs += [utc(f"2025-04-0{d} 08:00") for d in range(1, 5)]
    turn = sum(1 for h in handoffs if h <= at) - 1
    return MEMBERS[turn % 3] if turn >= 0 else "lena"  # before 24 Mar 09:00: lena's turn


@pytest.fixture
def daily(crew, team, lead):
    actions.rotation_set(
        team,
        members=MEMBERS,
        start=utc("2025-03-24 09:00"),
        turn_days=1,
        handoff_time="09:00",
        time_zone="Europe/London",
        effective_from=utc("2025-03-01 00:00"),
        actor=lead,
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(placed=placements)
def test_every_instant_is_covered_exactly_once(daily, team, lead, placed):
    with transaction.atomic():
        painted = [expected_rotation(h) for h in range(HOURS)]
        for first, length, person in placed:
            start = START + timedelta(hours=first)
            actions.override_create(
                team,
                person=person,
                start=start,
                end=start + timedelta(hours=length),
                actor=lead,
                replace=True,
            )
            for h in range(first, min(first + length, HOURS)):
                painted[h] = person
        end = START + timedelta(hours=HOURS)
        shifts = queries.final_schedule(team, START, end)
        assert shifts[0].start == START and shifts[-1].end == end
        for a, b in zip(shifts, shifts[1:], strict=False):
            assert a.end == b.start and a.start < a.end
        schedule = queries.schedule_for(team, START, end)
        for h in range(HOURS):
            at = START + timedelta(hours=h, minutes=30)
            covering = [s for s in shifts if s.start <= at < s.end]
            assert len(covering) == 1
            assert covering[0].person == painted[h] == schedule.who(at).person
        transaction.set_rollback(True)
