"""queries.py for other engineers (fixed query counts, hand-offs, next shifts),
the `who` and `schedule` commands, the demo loader and the rotation signal."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_user
from herodesk.rotations import actions, queries, signals
from herodesk.rotations.models import Override, RotationVersion, SwapRequest
from herodesk.rotations.tests.conftest import utc
from herodesk.teams.models import Membership, Person, Team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to("2025-04-01T12:00:00Z", tick=False)


@pytest.fixture
def rotations(crew, ny_crew, set_rotation):
    set_rotation("pipeline", crew, "2025-03-17T09:00:00Z", handoff_time="09:00")
    set_rotation(
        "monitoring",
        ny_crew,
        "2025-03-03T09:00:00-05:00",
        handoff_time="09:00",
        time_zone="America/New_York",
    )


def test_heroes_now_costs_three_queries_whatever_the_number_of_teams(rotations, lead):
    with CaptureQueriesContext(connection) as few:
        heroes = queries.heroes_now(utc("2025-04-01 12:00"))
    assert {slug: s.person for slug, s in heroes.items()} == {
        "pipeline": "lena",
        "monitoring": "otto",
    }
    for i in range(3):
        extra = Team.objects.create(slug=f"extra{i}", name=f"Extra {i}")
        make_user(f"x{i}", team=extra)
        actions.rotation_set(extra, members=[f"x{i}"], start=utc("2025-03-03 09:00"), actor=lead)
        actions.override_create(
            extra,
            person=f"x{i}",
            start=utc("2025-04-01 10:00"),
            end=utc("2025-04-01 14:00"),
            actor=lead,
        )
    with CaptureQueriesContext(connection) as more:
        heroes = queries.heroes_now(utc("2025-04-01 12:00"))
    assert len(heroes) == 5 and heroes["extra1"].source == "override"
    assert len(few) == len(more) <= 4


def test_oncall_and_final_schedule_use_a_few_queries(rotations, team):
    for day in range(10, 20):
        actions.override_create(
            team,
            person="hera",
            start=utc(f"2025-04-{day} 10:00"),
            end=utc(f"2025-04-{day} 12:00"),
            actor="test",
        )
    with CaptureQueriesContext(connection) as ctx:
        shift = queries.oncall(team, utc("2025-04-15 11:00"))
        final = queries.final_schedule(team, utc("2025-04-01 00:00"), utc("2026-04-01 00:00"))
    assert shift.person == "hera" and shift.source == "override"
    assert len([s for s in final if s.source == "override"]) == 10
    assert len(ctx) <= 6


def test_handoffs_between_names_outgoing_and_incoming_and_skips_cover(rotations, team):
    actions.override_create(
        team,
        person="hera",
        start=utc("2025-04-02 09:00"),
        end=utc("2025-04-02 17:00"),
        actor="test",
    )
    window = (utc("2025-04-01 00:00"), utc("2025-04-15 00:00"))
    assert queries.handoffs_between(team, *window) == [
        (utc("2025-04-07 08:00"), "lena", "hera"),
        (utc("2025-04-14 08:00"), "hera", "tim"),
    ]
    covers = [
        (c.instant, c.outgoing, c.incoming, c.kind)
        for c in queries.changes_between(team, *window)
        if c.kind != "handoff"
    ]
    assert covers == [
        (utc("2025-04-02 09:00"), "lena", "hera", "cover_start"),
        (utc("2025-04-02 17:00"), "hera", "lena", "cover_end"),
    ]


def test_next_shifts_starts_with_the_one_in_progress(rotations, lead, hero):
    got = queries.next_shifts(lead, utc("2025-04-01 12:00"), limit=2)
    assert [(t.slug, s.start) for t, s in got] == [
        ("pipeline", utc("2025-03-31 08:00")),
        ("pipeline", utc("2025-04-21 08:00")),
    ]
    assert queries.next_shifts(hero, utc("2025-04-01 12:00"), limit=1)[0][1].start == utc(
        "2025-04-07 08:00"
    )


def test_working_now_query_puts_team_first(rotations, other_team):
    people = queries.working_now(utc("2025-03-17 13:15"), other_team)
    assert [p.user.username for p, _ in people][:2] == ["mo", "nina"]
    assert all(t.slug == "monitoring" for t in people[0][1])


def test_rotation_change_signals_old_and_new_members(rotations, team, lead):
    seen = []

    def receiver(sender, people, reason, start, end, **kw):
        seen.append(
            (
                sorted(p.user.username for p in people),
                reason,
                start,
                end,
                connection.in_atomic_block,
            )
        )

    signals.schedule_changed.connect(receiver)
    try:
        actions.rotation_set(
            team,
            members=["lena", "hera"],
            start=utc("2025-04-07 08:00"),
            effective_from=utc("2025-04-07 08:00"),
            actor=lead,
        )
    finally:
        signals.schedule_changed.disconnect(receiver)
    assert seen == [(["hera", "lena", "tim"], "rotation", utc("2025-04-07 08:00"), None, True)]


def test_who_command_shows_each_team_with_local_times(rotations):
    out = io.StringIO()
    call_command("who", "--at", "2025-04-01T12:00:00Z", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Monitoring: Otto (otto) since Mon 2025-03-31 09:00 EDT")
    assert lines[1] == (
        "Pipeline: Lena (lena) since Mon 2025-03-31 09:00 BST "
        "until Mon 2025-04-07 09:00 BST; their time 13:00 Europe/London"
    )
    out = io.StringIO()
    call_command("who", "pipeline", "--at", "2025-04-01T12:00:00Z", stdout=out)
    assert out.getvalue().count("\n") == 1


def test_who_command_does_not_invent_the_end_of_a_gap(rotations, lead):
    later = Team.objects.create(slug="later", name="Later", time_zone="Europe/London")
    for username in ("lena", "hera"):
        Membership.objects.create(team=later, person=Person.objects.get(user__username=username))

    def who() -> str:
        out = io.StringIO()
        call_command("who", "later", "--at", "2031-04-01T12:00:00Z", stdout=out)
        return out.getvalue()

    hint = "Later: nobody (gap); `herodesk schedule later` shows what comes next\n"
    assert who() == hint  # no rotation at all
    actions.rotation_set(
        later,
        members=["lena", "hera"],
        start=utc("2031-04-07 08:00"),
        effective_from=utc("2031-04-07 08:00"),
        actor=lead,
    )
    assert who() == hint  # one starting later: not "until" the asked instant
    out = io.StringIO()
    call_command("schedule", "later", "--weeks", "2", "--start", "2031-03-31", stdout=out)
    assert "Lena (lena)" in out.getvalue()


def test_schedule_command_lists_weeks_with_overrides(rotations, team):
    actions.override_create(
        team,
        person="hera",
        start=utc("2025-04-02 09:00"),
        end=utc("2025-04-02 17:00"),
        actor="test",
    )
    out = io.StringIO()
    call_command("schedule", "pipeline", "--weeks", "2", "--start", "2025-03-31", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Pipeline — Mon 2025-03-31 00:00 BST → Mon 2025-04-14 00:00 BST"
    assert "Hera (hera)  [override]" in lines[3]
    assert lines[-1].endswith("Hera (hera)") and len(lines) == 6


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["who", "nope"], "TEAM: no team 'nope'"),
        (["who", "--at", "tomorrow"], "--at: 'tomorrow' is not an ISO 8601 instant"),
        (["schedule", "nope"], "TEAM: no team 'nope'"),
        (["schedule", "pipeline", "--weeks", "0"], "--weeks: expected a whole number 1–104"),
        (["schedule", "pipeline", "--weeks", "many"], "--weeks: expected a whole number"),
        (["schedule", "pipeline", "--start", "2025-03-31T09:00"], "--start must include a UTC"),
    ],
)
def test_command_errors_name_the_bad_argument(rotations, argv, message):
    with pytest.raises(CommandError) as err:
        call_command(*argv, stdout=io.StringIO())
    assert message in str(err.value)


def test_demo_loads_rotations_overrides_and_a_pending_swap_once(time_machine):
    from herodesk.demo.data import load_demo

    time_machine.move_to("2025-04-02T12:00:00Z", tick=False)
    load_demo(io.StringIO(), tickets=0)
    assert RotationVersion.objects.count() == 5
    heroes = queries.heroes_now(utc("2025-04-02 12:00"))
    assert len(heroes) == 5 and all(s.person for s in heroes.values())
    assert Override.objects.count() == 2
    assert SwapRequest.objects.get().status == "pending"
    out = io.StringIO()
    load_demo(out, tickets=0)
    assert "Demo overrides and swaps already there" in out.getvalue()
    assert RotationVersion.objects.count() == 5 and Override.objects.count() == 2
