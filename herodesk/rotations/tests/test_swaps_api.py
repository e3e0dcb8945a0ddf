"""Swaps: a whole week and single days, both as one atomic set of overrides,
the rotation order unchanged; accept/decline rules; direct swaps by leads."""

from __future__ import annotations

import pytest

from herodesk.audit.models import Event
from herodesk.rotations.models import Override, RotationVersion, SwapRequest
from herodesk.rotations.tests.conftest import z

pytestmark = pytest.mark.django_db

# Weekly, Monday 09:00 London: hera 7 Apr, tim 14 Apr, lena 21 Apr, hera 28 Apr …
HERA_WEEK = "2025-04-07T12:00:00Z"
TIM_WEEK = "2025-04-14T12:00:00Z"


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to("2025-04-01T12:00:00Z", tick=False)


@pytest.fixture
def rotation(crew, set_rotation):
    set_rotation("pipeline", crew, "2025-03-17T09:00:00Z", handoff_time="09:00")


def heroes(api, start="2025-04-07T08:00:00Z", end="2025-05-05T08:00:00Z"):
    shifts = api.get(f"teams/pipeline/schedule?start={start}&end={end}").json()["shifts"]
    return [(s["person"], s["start"], s["source"]) for s in shifts]


def ask(api, **body):
    return api.post("swaps", {"team": "pipeline", **body})


def test_whole_week_swap_trades_both_weeks_and_keeps_the_order(rotation, api_as, hero, teammate):
    res = ask(api_as(hero), counterpart="tim", shift=HERA_WEEK, message="Holiday, thanks!")
    assert res.status_code == 201, res.content
    swap = res.json()
    assert swap["status"] == "pending" and (swap["give_start"], swap["take_start"]) == (
        z("2025-04-07 08:00"),
        z("2025-04-14 08:00"),
    )
    assert Override.objects.count() == 0  # nothing changes before acceptance
    res = api_as(teammate).post(f"swaps/{swap['id']}/accept")
    assert res.status_code == 200, res.content
    assert res.json()["status"] == "accepted" and res.json()["decided_by"] == "tim"
    assert heroes(api_as(hero)) == [
        ("tim", z("2025-04-07 08:00"), "override"),
        ("hera", z("2025-04-14 08:00"), "override"),
        ("lena", z("2025-04-21 08:00"), "rotation"),
        ("hera", z("2025-04-28 08:00"), "rotation"),
    ]
    assert api_as(hero).get("teams/pipeline/rotation").json()["members"] == ["hera", "tim", "lena"]
    assert RotationVersion.objects.count() == 1
    assert set(Override.objects.values_list("swap_id", flat=True)) == {swap["id"]}


def test_single_day_swap_trades_just_those_local_days(rotation, api_as, hero, teammate):
    # hera gives her Wednesday 9 April, takes tim's Wednesday 16 April.
    swap = ask(
        api_as(hero),
        counterpart="tim",
        shift=HERA_WEEK,
        counterpart_shift=TIM_WEEK,
        days=["2025-04-09", "2025-04-16"],
    ).json()
    assert swap["overrides"] == [
        {"person": "tim", "start": z("2025-04-08 23:00"), "end": z("2025-04-09 23:00")},
        {"person": "hera", "start": z("2025-04-15 23:00"), "end": z("2025-04-16 23:00")},
    ]
    assert api_as(teammate).post(f"swaps/{swap['id']}/accept").status_code == 200
    assert heroes(api_as(hero), end="2025-04-21T08:00:00Z") == [
        ("hera", z("2025-04-07 08:00"), "rotation"),
        ("tim", z("2025-04-08 23:00"), "override"),
        ("hera", z("2025-04-09 23:00"), "rotation"),
        ("tim", z("2025-04-14 08:00"), "rotation"),
        ("hera", z("2025-04-15 23:00"), "override"),
        ("tim", z("2025-04-16 23:00"), "rotation"),
    ]
    assert [
        p for p, _, src in heroes(api_as(hero), "2025-04-21T08:00:00Z") if src == "rotation"
    ] == ["lena", "hera"]


def test_accepting_someone_elses_swap_is_forbidden_and_writes_nothing(
    rotation, api_as, hero, lead, admin
):
    swap = ask(api_as(hero), counterpart="tim", shift=HERA_WEEK).json()
    events = Event.objects.count()
    for user in (lead, hero, admin):
        res = api_as(user).post(f"swaps/{swap['id']}/accept")
        assert res.status_code == 403, res.content
        assert "only tim can accept" in res.json()["detail"]
    assert api_as(lead).post(f"swaps/{swap['id']}/decline").status_code == 403
    assert Override.objects.count() == 0 and Event.objects.count() == events
    assert SwapRequest.objects.get().status == "pending"


def test_declined_swap_changes_nothing_and_cannot_be_accepted_later(
    rotation, api_as, hero, teammate
):
    swap = ask(api_as(hero), counterpart="tim", shift=HERA_WEEK).json()
    assert api_as(teammate).post(f"swaps/{swap['id']}/decline").json()["status"] == "declined"
    res = api_as(teammate).post(f"swaps/{swap['id']}/accept")
    assert res.status_code == 409 and "already declined" in res.json()["detail"]
    assert Override.objects.count() == 0
    assert Event.objects.filter(action="swap.declined").count() == 1


def test_accept_refuses_when_the_schedule_changed_since_the_request(
    rotation, api_as, hero, teammate, lead
):
    swap = ask(api_as(hero), counterpart="tim", shift=HERA_WEEK).json()
    api_as(lead).post(
        "teams/pipeline/overrides",
        {"person": "lena", "start": "2025-04-15T09:00:00Z", "end": "2025-04-16T09:00:00Z"},
    )
    res = api_as(teammate).post(f"swaps/{swap['id']}/accept")
    assert res.status_code == 409 and "schedule changed" in res.json()["detail"]
    assert Override.objects.count() == 1  # only lena's; the swap created nothing
    assert SwapRequest.objects.get().status == "pending"


def test_lead_swaps_two_people_directly(rotation, api_as, lead, hero):
    res = ask(api_as(lead), person="hera", counterpart="tim", shift=HERA_WEEK)
    assert res.status_code == 201, res.content
    assert res.json()["status"] == "accepted" and res.json()["direct"] is True
    assert [p for p, _, _ in heroes(api_as(lead), end="2025-04-21T08:00:00Z")] == ["tim", "hera"]
    assert ask(api_as(hero), person="lena", counterpart="tim", shift=HERA_WEEK).status_code == 403


def test_deleting_one_override_of_a_swap_undoes_the_whole_swap(rotation, api_as, lead, hero):
    swap = ask(api_as(lead), person="hera", counterpart="tim", shift=HERA_WEEK).json()
    first = Override.objects.filter(swap_id=swap["id"]).earliest("start")
    assert api_as(lead).delete(f"overrides/{first.pk}").status_code == 204
    assert Override.objects.count() == 0
    assert SwapRequest.objects.get().status == "cancelled"
    assert [p for p, _, _ in heroes(api_as(hero), end="2025-04-21T08:00:00Z")] == ["hera", "tim"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"counterpart": "tim", "shift": TIM_WEEK}, 422, "shift"),  # not hera's shift
        ({"counterpart": "otto", "shift": HERA_WEEK}, 422, "counterpart"),
        ({"counterpart": "hera", "shift": HERA_WEEK}, 422, "counterpart"),
        (
            {"counterpart": "tim", "shift": HERA_WEEK, "counterpart_shift": HERA_WEEK},
            422,
            "counterpart_shift",
        ),
        ({"counterpart": "tim", "shift": HERA_WEEK, "days": ["9 April"]}, 422, "days"),
        ({"counterpart": "tim", "shift": HERA_WEEK, "days": ["2025-05-30"]}, 422, "days"),
        ({"counterpart": "tim"}, 422, "shift"),
        ({"counterpart": "tim", "shift": HERA_WEEK, "team": "nope"}, 422, "team"),
    ],
)
def test_bad_swap_requests_are_refused_and_nothing_written(
    rotation, other_hero, api_as, hero, body, status, field
):
    res = ask(api_as(hero), **body)
    assert res.status_code == status, res.content
    assert res.json()["field"] == field, res.json()
    assert SwapRequest.objects.count() == 0 and Override.objects.count() == 0


def test_swaps_list_shows_mine_and_the_requester_can_cancel(rotation, api_as, hero, teammate, lead):
    swap = ask(api_as(hero), counterpart="tim", shift=HERA_WEEK).json()
    assert [s["id"] for s in api_as(teammate).get("swaps").json()] == [swap["id"]]
    assert api_as(lead).get("swaps").json() == []
    assert api_as(teammate).post(f"swaps/{swap['id']}/cancel").status_code == 403
    assert api_as(hero).post(f"swaps/{swap['id']}/cancel").json()["status"] == "cancelled"
    assert api_as(teammate).get("swaps").json() == []
