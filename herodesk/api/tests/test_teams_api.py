from __future__ import annotations

import pytest

from herodesk.audit.models import Event

pytestmark = pytest.mark.django_db


def test_team_shows_support_hours(team, hero, api_as):
    body = api_as(hero).get("teams/pipeline").json()
    hours = body["support_hours"]
    assert hours["time_zone"] == "Europe/London"
    assert hours["hours"]["mon"] == [["09:00", "17:00"]] and hours["hours"]["sat"] == []
    assert hours["holiday_country"] == "GB"
    assert [t["slug"] for t in api_as(hero).get("teams").json()] == ["pipeline"]


def test_lead_changes_hours_hero_cannot(team, lead, hero, api_as):
    patch = {
        "support_hours": {
            "time_zone": "America/New_York",
            "hours": {"mon": [["08:00", "12:00"], ["13:00", "18:00"]]},
        }
    }
    assert api_as(hero).patch("teams/pipeline", patch).status_code == 403
    res = api_as(lead).patch("teams/pipeline", patch)
    assert res.status_code == 200, res.content
    hours = res.json()["support_hours"]
    assert hours["time_zone"] == "America/New_York"
    assert hours["hours"]["mon"] == [["08:00", "12:00"], ["13:00", "18:00"]]
    assert hours["hours"]["tue"] == []
    assert Event.objects.filter(action="team.updated").count() == 1


def test_bad_support_hours_are_rejected_and_nothing_changes(team, admin, api_as):
    api = api_as(admin)
    for bad in (
        {"time_zone": "Mars/Olympus"},
        {"hours": {"mon": [["17:00", "09:00"]]}},
        {"hours": {"funday": [["09:00", "10:00"]]}},
        {"hours": {"mon": [["9am", "5pm"]]}},
    ):
        res = api.patch("teams/pipeline", {"support_hours": bad})
        assert res.status_code == 422, (bad, res.content)
        assert res.json()["field"] == "support_hours"
    res = api.patch("teams/pipeline", {"sla_targets": {"3": {"great": 90, "okay": 30}}})
    assert res.status_code == 422
    team.refresh_from_db()
    assert team.time_zone == "Europe/London" and team.sla_targets == {}
    assert Event.objects.count() == 0


def test_me(team, lead, api_as):
    body = api_as(lead).get("me").json()
    assert body["username"] == "lena" and body["teams"] == ["pipeline"]
    assert body["lead_of"] == ["pipeline"] and body["is_admin"] is False
