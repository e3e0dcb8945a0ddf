"""Time off (colliding shifts, swap partners), working hours, who is working
now around the weeks when London and New York are only 4 hours apart."""

from __future__ import annotations

import pytest

from conftest import make_user
from herodesk.audit.models import Event
from herodesk.rotations.models import TimeOff
from herodesk.rotations.tests.conftest import z

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to("2025-04-01T12:00:00Z", tick=False)


@pytest.fixture
def five(team, crew, set_rotation):
    """hera 17 Mar, tim 24 Mar, lena 31 Mar, pat 7 Apr, quinn 14 Apr, hera 21 Apr, tim 28 Apr."""
    make_user("pat", team=team)
    make_user("quinn", team=team)
    set_rotation("pipeline", [*crew, "pat", "quinn"], "2025-03-17T09:00:00Z", handoff_time="09:00")


def test_time_off_flags_the_colliding_shift_and_proposes_partners(five, api_as, hero):
    res = api_as(hero).post(
        "people/hera/time-off",
        {"start": "2025-04-22T23:00:00Z", "end": "2025-04-24T23:00:00Z", "reason": "wedding"},
    )
    assert res.status_code == 201, res.content
    (conflict,) = res.json()["conflicts"]
    assert (conflict["team"], conflict["start"], conflict["end"]) == (
        "pipeline",
        z("2025-04-21 08:00"),
        z("2025-04-28 08:00"),
    )
    # quinn (the week before) and tim (the week after) are adjacent; pat has had no shift
    # in the last 90 days, lena one (in progress now): pat first.
    assert conflict["partners"] == ["pat", "lena"]
    assert Event.objects.get(action="time_off.created").after["colliding_shifts"] == 1


def test_time_off_that_collides_with_nothing_has_no_conflicts(five, api_as, hero):
    res = api_as(hero).post(
        "people/hera/time-off", {"start": "2025-04-08T00:00:00Z", "end": "2025-04-10T00:00:00Z"}
    )
    assert res.status_code == 201 and res.json()["conflicts"] == []


def test_a_swap_clears_the_time_off_conflict(five, api_as, hero, lead):
    api_as(hero).post(
        "people/hera/time-off", {"start": "2025-04-22T23:00:00Z", "end": "2025-04-24T23:00:00Z"}
    )
    res = api_as(lead).post(
        "swaps",
        {
            "team": "pipeline",
            "person": "hera",
            "counterpart": "pat",
            "shift": "2025-04-22T12:00:00Z",
        },
    )
    assert res.status_code == 201, res.content
    (row,) = api_as(hero).get("people/hera/time-off").json()
    assert row["conflicts"] == []


def test_time_off_rules(five, api_as, hero, teammate, lead):
    body = {"start": "2025-04-22T23:00:00Z", "end": "2025-04-24T23:00:00Z"}
    assert api_as(teammate).post("people/hera/time-off", body).status_code == 403
    assert api_as(lead).post("people/hera/time-off", body).status_code == 201
    res = api_as(hero).post("people/hera/time-off", {**body, "start": "2025-04-23T00:00:00Z"})
    assert res.status_code == 409 and res.json()["field"] == "start"
    res = api_as(hero).post("people/hera/time-off", {**body, "end": "2025-04-20T00:00:00Z"})
    assert res.status_code == 422 and res.json()["field"] == "end"
    assert TimeOff.objects.count() == 1
    row = TimeOff.objects.get()
    assert api_as(teammate).delete(f"time-off/{row.pk}").status_code == 403
    assert api_as(hero).delete(f"time-off/{row.pk}").status_code == 204
    assert TimeOff.objects.count() == 0


def working(api, at, team=None):
    url = f"working-now?at={at}" + (f"&team={team}" if team else "")
    res = api.get(url)
    assert res.status_code == 200, res.content
    return [p["username"] for p in res.json()]


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # 17 March 2025: New York is on EDT, London still on GMT — 4 hours apart.
        ("2025-03-17T13:15:00Z", ["hera", "lena", "tim", "otto"]),
        # Friday 7 March (before the US change, 5 hours apart) New York is not in yet.
        ("2025-03-07T13:15:00Z", ["hera", "lena"]),
        # 31 March: both on summer time, 5 hours apart again; 13:15Z is 09:15 in New York.
        ("2025-03-31T13:15:00Z", ["hera", "lena", "tim", "otto"]),
        ("2025-03-31T12:45:00Z", ["hera", "lena"]),
        # Autumn: London back on GMT on 26 October, New York on 2 November.
        ("2025-10-28T13:15:00Z", ["hera", "lena", "tim", "otto"]),
        ("2025-11-04T13:15:00Z", ["hera", "lena"]),
        # End of the London day during the 4-hour weeks: only New York is left.
        ("2025-03-17T17:00:00Z", ["tim", "otto"]),
        ("2025-03-17T16:59:00Z", ["hera", "lena", "tim", "otto"]),
    ],
)
def test_working_now_around_dst(crew, other_hero, api_as, hero, at, expected):
    assert working(api_as(hero), at, "pipeline") == expected


def test_working_now_puts_the_given_team_first_and_shows_local_time(crew, other_hero, api_as, hero):
    got = api_as(hero).get("working-now?at=2025-03-17T13:15:00Z&team=monitoring").json()
    assert [p["username"] for p in got] == ["otto", "hera", "lena", "tim"]
    otto = got[0]
    assert otto["same_team"] is True and otto["teams"] == ["monitoring"]
    assert (otto["time_zone"], otto["local_time"]) == (
        "America/New_York",
        "2025-03-17T09:15:00-04:00",
    )


def test_working_now_leaves_out_people_on_time_off_and_holidays(crew, other_hero, api_as, hero):
    api_as(hero).post(
        "people/hera/time-off", {"start": "2025-03-17T00:00:00Z", "end": "2025-03-18T00:00:00Z"}
    )
    assert working(api_as(hero), "2025-03-17T13:15:00Z") == ["lena", "otto", "tim"]
    # Good Friday 2025 is a holiday in GB (everyone here has GB holidays).
    assert working(api_as(hero), "2025-04-18T13:15:00Z") == []


def test_working_now_bad_input(crew, api_as, hero):
    res = api_as(hero).get("working-now?at=soon")
    assert res.status_code == 422 and res.json()["field"] == "at"
    res = api_as(hero).get("working-now?team=nope")
    assert res.status_code == 422 and res.json()["field"] == "team"


def test_person_sets_working_hours_and_holiday_country(crew, api_as, teammate, hero, lead):
    body = {
        "time_zone": "America/Chicago",
        "hours": {"mon": [["07:00", "15:00"]]},
        "holiday_country": "us",
    }
    assert api_as(hero).patch("people/tim/working-hours", body).status_code == 403
    res = api_as(teammate).patch("people/tim/working-hours", body)
    assert res.status_code == 200, res.content
    got = res.json()
    assert got["time_zone"] == "America/Chicago" and got["holiday_country"] == "US"
    assert got["hours"]["mon"] == [["07:00", "15:00"]] and got["hours"]["tue"] == []
    event = Event.objects.get(action="person.hours_updated")
    assert event.before["time_zone"] == "America/New_York"
    # Monday 2025-03-17 13:15Z is 08:15 in Chicago: tim is at work now.
    assert "tim" in working(api_as(hero), "2025-03-17T13:15:00Z")
    for bad, field in (
        ({"time_zone": "Nowhere/City"}, "time_zone"),
        ({"hours": {"mon": [["17:00", "09:00"]]}}, "hours"),
        ({"holiday_country": "XX"}, "holiday_country"),
    ):
        res = api_as(lead).patch("people/tim/working-hours", bad)
        assert res.status_code == 422 and res.json()["field"] == field, res.content
    assert Event.objects.filter(action="person.hours_updated").count() == 1


def test_person_shifts_lists_every_team(crew, set_rotation, api_as, hero):
    set_rotation("pipeline", crew, "2025-03-17T09:00:00Z", handoff_time="09:00")
    got = (
        api_as(hero)
        .get("people/hera/shifts?start=2025-04-01T00:00:00Z&end=2025-05-01T00:00:00Z")
        .json()
    )
    # Whole shifts, even the one that runs past the end of the window.
    assert [(s["team"], s["start"], s["end"]) for s in got] == [
        ("pipeline", z("2025-04-07 08:00"), z("2025-04-14 08:00")),
        ("pipeline", z("2025-04-28 08:00"), z("2025-05-05 08:00")),
    ]
    assert api_as(hero).get("people/ghost/shifts").status_code == 404
