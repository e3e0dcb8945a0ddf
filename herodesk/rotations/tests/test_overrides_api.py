"""Overrides: part of a shift, overlaps refused (or replaced), deletion,
permissions, the audit trail and the schedule_changed signal."""

from __future__ import annotations

import pytest

from herodesk.audit.models import Event
from herodesk.rotations import signals
from herodesk.rotations.models import Override
from herodesk.rotations.tests.conftest import z

pytestmark = pytest.mark.django_db

WEEK_OF_TIM = "2025-03-24T09:00:00Z"  # tim's turn: 24 March 09:00Z → 31 March 08:00Z


@pytest.fixture
def rotation(crew, set_rotation):
    set_rotation("pipeline", crew, "2025-03-17T09:00:00Z", handoff_time="09:00")


def schedule(api, start="2025-03-24T09:00:00Z", end="2025-03-31T08:00:00Z"):
    res = api.get(f"teams/pipeline/schedule?start={start}&end={end}")
    assert res.status_code == 200, res.content
    return [(s["person"], s["start"], s["end"], s["source"]) for s in res.json()["shifts"]]


def test_override_over_part_of_a_shift_splits_it(rotation, api_as, lead):
    api = api_as(lead)
    res = api.post(
        "teams/pipeline/overrides",
        {
            "person": "hera",
            "start": "2025-03-26T09:00:00Z",
            "end": "2025-03-27T09:00:00Z",
            "reason": "tim at the dentist",
        },
    )
    assert res.status_code == 201, res.content
    oid = res.json()["id"]
    assert schedule(api) == [
        ("tim", z("2025-03-24 09:00"), z("2025-03-26 09:00"), "rotation"),
        ("hera", z("2025-03-26 09:00"), z("2025-03-27 09:00"), "override"),
        ("tim", z("2025-03-27 09:00"), z("2025-03-31 08:00"), "rotation"),
    ]
    body = api.get("teams/pipeline/oncall?at=2025-03-26T12:00:00Z").json()
    assert (body["hero"], body["source"], body["override_id"]) == ("hera", "override", oid)
    event = Event.objects.get(action="override.created")
    assert event.after["person"] == "hera" and event.actor_label == "lena"
    # The rotation order is untouched: the next week is still lena's.
    assert api.get("teams/pipeline/oncall?at=2025-03-31T08:00:00Z").json()["hero"] == "lena"


def test_schedule_changed_is_sent_inside_the_transaction_with_both_people(rotation, api_as, lead):
    from django.db import connection

    seen = []

    def receiver(sender, team, people, reason, actor, start, end, **kw):
        seen.append(
            (team.slug, sorted(p.user.username for p in people), reason, connection.in_atomic_block)
        )

    signals.schedule_changed.connect(receiver)
    try:
        api_as(lead).post(
            "teams/pipeline/overrides",
            {"person": "hera", "start": "2025-03-26T09:00:00Z", "end": "2025-03-27T09:00:00Z"},
        )
    finally:
        signals.schedule_changed.disconnect(receiver)
    assert seen == [("pipeline", ["hera", "tim"], "override.created", True)]


def test_overlapping_override_is_refused_with_a_clear_message_and_nothing_written(
    rotation, api_as, lead
):
    api = api_as(lead)
    first = api.post(
        "teams/pipeline/overrides",
        {"person": "hera", "start": "2025-03-26T09:00:00Z", "end": "2025-03-27T09:00:00Z"},
    )
    events = Event.objects.count()
    res = api.post(
        "teams/pipeline/overrides",
        {"person": "lena", "start": "2025-03-26T18:00:00Z", "end": "2025-03-28T09:00:00Z"},
    )
    assert res.status_code == 409
    assert f"overlaps override #{first.json()['id']} (hera" in res.json()["detail"]
    assert Override.objects.count() == 1 and Event.objects.count() == events


def test_replace_trims_the_overlapped_override(rotation, api_as, lead):
    api = api_as(lead)
    api.post(
        "teams/pipeline/overrides",
        {"person": "hera", "start": "2025-03-25T09:00:00Z", "end": "2025-03-28T09:00:00Z"},
    )
    res = api.post(
        "teams/pipeline/overrides",
        {
            "person": "lena",
            "start": "2025-03-26T09:00:00Z",
            "end": "2025-03-27T09:00:00Z",
            "replace": True,
        },
    )
    assert res.status_code == 201, res.content
    assert schedule(api) == [
        ("tim", z("2025-03-24 09:00"), z("2025-03-25 09:00"), "rotation"),
        ("hera", z("2025-03-25 09:00"), z("2025-03-26 09:00"), "override"),
        ("lena", z("2025-03-26 09:00"), z("2025-03-27 09:00"), "override"),
        ("hera", z("2025-03-27 09:00"), z("2025-03-28 09:00"), "override"),
        ("tim", z("2025-03-28 09:00"), z("2025-03-31 08:00"), "rotation"),
    ]
    assert Event.objects.filter(action="override.trimmed").count() == 1


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"end": "2025-03-26T08:00:00Z"}, 422, "end"),
        ({"end": "2025-03-26T09:00:00Z"}, 422, "end"),
        ({"person": "otto"}, 422, "person"),
        ({"person": "ghost"}, 422, "person"),
        ({"start": "2025-03-26T09:00:00"}, 422, "start"),
        ({"end": "2027-03-26T09:00:00Z"}, 422, "end"),
    ],
)
def test_bad_override_is_refused_and_nothing_written(
    rotation, other_hero, api_as, lead, change, status, field
):
    body = {
        "person": "hera",
        "start": "2025-03-26T09:00:00Z",
        "end": "2025-03-27T09:00:00Z",
        **change,
    }
    events = Event.objects.count()
    res = api_as(lead).post("teams/pipeline/overrides", body)
    assert res.status_code == status, res.content
    assert res.json()["field"] == field
    assert Override.objects.count() == 0 and Event.objects.count() == events


def test_members_cover_for_themselves_only(rotation, other_hero, api_as, hero, teammate):
    body = {"start": "2025-03-26T09:00:00Z", "end": "2025-03-27T09:00:00Z"}
    assert (
        api_as(hero).post("teams/pipeline/overrides", {**body, "person": "lena"}).status_code == 403
    )
    assert (
        api_as(other_hero).post("teams/pipeline/overrides", {**body, "person": "otto"}).status_code
        == 403
    )
    res = api_as(hero).post("teams/pipeline/overrides", {**body, "person": "hera"})
    assert res.status_code == 201
    # tim (whose shift it was) cannot delete hera's override; hera and leads can.
    oid = res.json()["id"]
    assert api_as(teammate).delete(f"overrides/{oid}").status_code == 403
    assert api_as(hero).delete(f"overrides/{oid}").status_code == 204
    assert Override.objects.count() == 0
    assert api_as(hero).delete(f"overrides/{oid}").status_code == 404


def test_deleting_an_override_restores_the_rotation_and_is_audited(rotation, api_as, lead):
    api = api_as(lead)
    oid = api.post(
        "teams/pipeline/overrides",
        {"person": "hera", "start": "2025-03-26T09:00:00Z", "end": "2025-03-27T09:00:00Z"},
    ).json()["id"]
    assert api.delete(f"overrides/{oid}").status_code == 204
    assert schedule(api) == [("tim", z("2025-03-24 09:00"), z("2025-03-31 08:00"), "rotation")]
    assert Event.objects.get(action="override.deleted").before["person"] == "hera"


def test_overrides_are_listed_for_a_window(rotation, api_as, lead, hero):
    api_as(lead).post(
        "teams/pipeline/overrides",
        {"person": "hera", "start": "2025-03-26T09:00:00Z", "end": "2025-03-27T09:00:00Z"},
    )
    got = api_as(hero).get("teams/pipeline/overrides?start=2025-03-24&end=2025-03-31").json()
    assert [(o["person"], o["start"], o["created_by"]) for o in got] == [
        ("hera", z("2025-03-26 09:00"), "lena")
    ]
    assert api_as(hero).get("teams/pipeline/overrides?start=2025-04-01&end=2025-04-08").json() == []
