"""Rotations through the API: wall-clock handoffs across DST in London and New
York, weekly and daily; a handoff in the skipped hour; future changes that
leave the past alone; bad input answered with a 4xx and nothing written."""

from __future__ import annotations

import pytest
import time_machine

from herodesk.audit.models import Event
from herodesk.rotations.models import RotationMember, RotationVersion
from herodesk.rotations.tests.conftest import z

pytestmark = pytest.mark.django_db


def oncall(api, slug, at):
    res = api.get(f"teams/{slug}/oncall?at={at}")
    assert res.status_code == 200, res.content
    return res.json()


def boundaries(api, slug, start, end):
    res = api.get(f"teams/{slug}/schedule?start={start}&end={end}")
    assert res.status_code == 200, res.content
    return [(s["person"], s["start"]) for s in res.json()["shifts"]]


def test_london_weekly_handoff_stays_at_nine_local_across_both_dst_changes(
    crew, set_rotation, api_as, hero
):
    set_rotation(
        "pipeline", crew, "2025-03-17T09:00:00Z", handoff_time="09:00", time_zone="Europe/London"
    )
    api = api_as(hero)
    # Spring forward (30 March): Monday 09:00 BST is 08:00Z.
    before = oncall(api, "pipeline", "2025-03-31T07:59:59Z")
    assert (before["hero"], before["start"], before["end"]) == (
        "tim",
        z("2025-03-24 09:00"),
        z("2025-03-31 08:00"),
    )
    after = oncall(api, "pipeline", "2025-03-31T08:00:00Z")
    assert (after["hero"], after["source"]) == ("lena", "rotation")
    # Fall back (26 October): the week that started at 08:00Z ends at 09:00Z.
    week = oncall(api, "pipeline", "2025-10-27T08:30:00Z")
    assert (week["hero"], week["start"], week["end"]) == (
        "tim",
        z("2025-10-20 08:00"),
        z("2025-10-27 09:00"),
    )
    assert oncall(api, "pipeline", "2025-10-27T09:00:00Z")["hero"] == "lena"


def test_new_york_weekly_handoff_follows_us_dst(ny_crew, set_rotation, api_as, other_hero):
    set_rotation(
        "monitoring",
        ny_crew,
        "2025-03-03T09:00:00-05:00",
        handoff_time="09:00",
        time_zone="America/New_York",
    )
    api = api_as(other_hero)
    assert boundaries(api, "monitoring", "2025-03-03T14:00:00Z", "2025-03-17T14:00:00Z") == [
        ("otto", z("2025-03-03 14:00")),
        ("nina", z("2025-03-10 13:00")),
        ("otto", z("2025-03-17 13:00")),
    ]
    # 3 November 2025, back on EST: 09:00 is 14:00Z again.
    assert oncall(api, "monitoring", "2025-11-03T13:59:00Z")["end"] == z("2025-11-03 14:00")


def test_daily_rotation_hands_off_at_local_time_across_spring_forward(
    crew, set_rotation, api_as, hero
):
    set_rotation("pipeline", crew, "2025-03-28T09:00:00Z", turn_days=1, time_zone="Europe/London")
    got = boundaries(api_as(hero), "pipeline", "2025-03-28T09:00:00Z", "2025-04-01T00:00:00Z")
    assert got == [
        ("hera", z("2025-03-28 09:00")),
        ("tim", z("2025-03-29 09:00")),
        ("lena", z("2025-03-30 08:00")),
        ("hera", z("2025-03-31 08:00")),
    ]


def test_daily_rotation_in_new_york_across_fall_back(ny_crew, set_rotation, api_as, admin):
    set_rotation(
        "monitoring",
        ny_crew,
        "2025-10-31T17:00:00-04:00",
        turn_days=1,
        time_zone="America/New_York",
    )
    got = boundaries(api_as(admin), "monitoring", "2025-11-01T21:00:00Z", "2025-11-03T00:00:00Z")
    assert got == [("nina", z("2025-11-01 21:00")), ("otto", z("2025-11-02 22:00"))]


def test_handoff_inside_the_skipped_hour_moves_to_the_first_valid_instant(
    crew, set_rotation, api_as, hero
):
    # 01:30 does not exist in London on 30 March 2025: the handoff is at 02:00 BST.
    set_rotation(
        "pipeline",
        crew,
        "2025-03-28T01:30:00Z",
        turn_days=1,
        handoff_time="01:30",
        time_zone="Europe/London",
    )
    shift = oncall(api_as(hero), "pipeline", "2025-03-30T01:00:00Z")
    assert (shift["hero"], shift["start"], shift["end"]) == (
        "lena",
        z("2025-03-30 01:00"),
        z("2025-03-31 00:30"),
    )


def test_a_handoff_in_the_repeated_hour_uses_the_later_occurrence(crew, set_rotation, api_as, hero):
    # 01:30 happens twice in London on 26 October 2025 (00:30Z and 01:30Z).
    set_rotation(
        "pipeline",
        crew,
        "2025-10-24T00:30:00Z",
        turn_days=1,
        handoff_time="01:30",
        time_zone="Europe/London",
    )
    assert oncall(api_as(hero), "pipeline", "2025-10-26T01:00:00Z")["end"] == z("2025-10-26 01:30")


def test_start_defaults_handoff_time_and_team_zone(crew, set_rotation):
    body = set_rotation("pipeline", crew, "2025-06-02T08:30:00Z")
    assert body["handoff_time"] == "09:30"  # 08:30Z is 09:30 in London in June
    assert body["time_zone"] == "Europe/London" and body["members"] == crew


@time_machine.travel("2025-04-02T12:00:00Z", tick=False)
def test_a_new_order_takes_effect_later_and_the_past_stays(crew, set_rotation, api_as, lead):
    set_rotation("pipeline", crew, "2025-03-17T09:00:00Z", handoff_time="09:00")
    api = api_as(lead)
    past = boundaries(api, "pipeline", "2025-03-17T09:00:00Z", "2025-04-07T08:00:00Z")
    res = api.put(
        "teams/pipeline/rotation",
        {
            "members": ["lena", "hera"],
            "start": "2025-04-07T09:00:00+01:00",
            "handoff_time": "09:00",
            "effective_from": "2025-04-07T08:00:00Z",
        },
    )
    assert res.status_code == 200, res.content
    assert [v["effective_until"] for v in res.json()["versions"]] == [z("2025-04-07 08:00"), None]
    assert res.json()["members"] == ["lena", "hera"]  # the version just set
    assert api.get("teams/pipeline/rotation").json()["members"] == crew  # in force today
    assert boundaries(api, "pipeline", "2025-03-17T09:00:00Z", "2025-04-07T08:00:00Z") == past
    assert [
        p for p, _ in boundaries(api, "pipeline", "2025-04-07T08:00:00Z", "2025-04-28T08:00:00Z")
    ] == ["lena", "hera", "lena"]
    assert Event.objects.filter(action="rotation.closed").count() == 1


@time_machine.travel("2025-04-02T12:00:00Z", tick=False)
def test_a_change_cannot_reach_into_the_past(crew, set_rotation, api_as, lead):
    set_rotation("pipeline", crew, "2025-03-17T09:00:00Z")
    events = Event.objects.count()
    res = api_as(lead).put(
        "teams/pipeline/rotation",
        {
            "members": ["lena"],
            "start": "2025-03-17T09:00:00Z",
            "effective_from": "2025-03-24T09:00:00Z",
        },
    )
    assert res.status_code == 422 and res.json()["field"] == "effective_from"
    assert RotationVersion.objects.get().effective_until is None
    assert Event.objects.count() == events


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"members": ["hera", "nobody"]}, "members"),
        ({"members": ["hera", "otto"]}, "members"),  # otto is on another team
        ({"members": ["hera", "hera"]}, "members"),
        ({"members": []}, "members"),
        ({"turn_days": 0}, "turn_days"),
        ({"handoff_time": "25:00"}, "handoff_time"),
        ({"handoff_time": "9am"}, "handoff_time"),
        ({"handoff_weekday": 7}, "handoff_weekday"),
        ({"start": "2025-03-17T09:00:00"}, "start"),
        ({"start": "next monday"}, "start"),
    ],
)
def test_bad_rotation_input_is_refused_and_nothing_written(
    crew, other_hero, api_as, admin, change, field
):
    body = {"members": crew, "start": "2025-03-17T09:00:00Z", **change}
    res = api_as(admin).put("teams/pipeline/rotation", body)
    assert res.status_code == 422, res.content
    assert res.json()["field"] == field, res.json()
    assert RotationVersion.objects.count() == RotationMember.objects.count() == 0
    assert Event.objects.count() == 0


def test_only_leads_and_admins_set_the_rotation(crew, api_as, hero, other_hero, outsider):
    body = {"members": crew, "start": "2025-03-17T09:00:00Z"}
    for user in (hero, other_hero, outsider):
        assert api_as(user).put("teams/pipeline/rotation", body).status_code == 403
    assert api_as(None).put("teams/pipeline/rotation", body).status_code == 401
    assert api_as(outsider).get("teams/pipeline/oncall").status_code == 403
    assert RotationVersion.objects.count() == 0


def test_oncall_before_any_rotation_is_a_gap_and_bad_instants_name_the_field(team, api_as, hero):
    api = api_as(hero)
    body = oncall(api, "pipeline", "2025-03-17T09:00:00Z")
    assert body["hero"] is None and body["source"] == "gap"
    for bad in ("yesterday", "2025-03-17T09:00:00"):
        res = api.get(f"teams/pipeline/oncall?at={bad}")
        assert res.status_code == 422 and res.json()["field"] == "at"
    assert api.get("teams/nope/oncall").status_code == 404
    assert api.get("teams/pipeline/rotation").status_code == 404


def test_an_unencoded_plus_in_the_query_string_still_reads_as_an_offset(
    crew, set_rotation, api_as, hero
):
    set_rotation("pipeline", crew, "2025-03-17T09:00:00Z", handoff_time="09:00")
    # '+' arrives as a space when the client did not encode it.
    assert oncall(api_as(hero), "pipeline", "2025-03-31T09:00:00+01:00")["hero"] == "lena"
    assert oncall(api_as(hero), "pipeline", "2025-03-31T08:59:00%2B01:00")["hero"] == "tim"


def test_schedule_window_is_bounded(crew, set_rotation, api_as, hero):
    set_rotation("pipeline", crew, "2025-03-17T09:00:00Z")
    api = api_as(hero)
    res = api.get("teams/pipeline/schedule?start=2025-01-01&end=2024-01-01")
    assert res.status_code == 422 and res.json()["field"] == "end"
    res = api.get("teams/pipeline/schedule?start=2025-01-01&end=2030-01-01")
    assert res.status_code == 422 and res.json()["field"] == "end"


def test_restrictions_mask_the_rotation_into_weekday_office_hours(crew, set_rotation, api_as, hero):
    windows = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)]
    body = set_rotation(
        "pipeline", crew, "2025-03-17T09:00:00Z", handoff_time="09:00", restrictions=windows
    )
    assert body["restrictions"] == windows
    api = api_as(hero)
    assert oncall(api, "pipeline", "2025-03-31T08:30:00Z")["hero"] == "lena"  # 09:30 BST
    saturday = oncall(api, "pipeline", "2025-04-05T12:00:00Z")
    assert (saturday["hero"], saturday["source"]) == (None, "gap")
    got = boundaries(api, "pipeline", "2025-03-31T00:00:00Z", "2025-04-01T00:00:00Z")
    assert got == [
        (None, z("2025-03-31 00:00")),
        ("lena", z("2025-03-31 08:00")),
        (None, z("2025-03-31 16:00")),
    ]


@pytest.mark.parametrize(
    "bad",
    [
        [{"weekday": 7, "start": "09:00", "end": "17:00"}],
        [{"weekday": 0, "start": "9am", "end": "17:00"}],
        [{"weekday": 0, "start": "09:00"}],
        ["mon 9-5"],
    ],
)
def test_bad_restrictions_are_refused(crew, api_as, admin, bad):
    res = api_as(admin).put(
        "teams/pipeline/rotation",
        {"members": crew, "start": "2025-03-17T09:00:00Z", "restrictions": bad},
    )
    assert res.status_code == 422 and res.json()["field"] == "restrictions", res.content
    assert RotationVersion.objects.count() == 0
