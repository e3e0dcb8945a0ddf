"""/api/v1/routing-rules: admins and team leads only, validated, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from herodesk.audit.models import Event
from herodesk.intake.models import RoutingRule

pytestmark = pytest.mark.django_db
URL = "/api/v1/routing-rules"


def make(team: Any, **conditions: Any) -> RoutingRule:
    now = timezone.now()
    return RoutingRule.objects.create(
        team=team, created_at=now, updated_at=now, **{"channel": "email", **conditions}
    )


def test_an_admin_creates_a_rule_and_it_is_audited(api_as: Any, admin: Any, team: Any) -> None:
    res = api_as(admin).post(
        URL,
        {
            "team": "pipeline",
            "name": "Exports",
            "position": 5,
            "keywords": ["export", "S3"],
            "channel": "email",
        },
    )
    assert res.status_code == 201, res.json()
    body = res.json()
    assert body["team"] == "pipeline" and body["keywords"] == ["export", "S3"]
    event = Event.objects.get(action="routing_rule.created")
    assert event.actor == admin and event.after["keywords"] == ["export", "S3"]


def test_rules_are_listed_in_the_order_they_run(api_as: Any, admin: Any, team: Any) -> None:
    late, early = make(team, position=50), make(team, position=10)
    res = api_as(admin).get(URL)
    assert [r["id"] for r in res.json()] == [early.pk, late.pk]


def test_a_lead_manages_rules_for_their_own_team_only(
    api_as: Any, lead: Any, team: Any, other_team: Any
) -> None:
    client = api_as(lead)
    assert client.post(URL, {"team": "pipeline", "channel": "github"}).status_code == 201
    res = client.post(URL, {"team": "monitoring", "channel": "github"})
    assert res.status_code == 403 and "Monitoring" in res.json()["detail"]
    theirs = make(other_team)
    assert client.patch(f"{URL}/{theirs.pk}", {"name": "mine now"}).status_code == 403
    mine = make(team)
    assert client.patch(f"{URL}/{mine.pk}", {"team": "monitoring"}).status_code == 403
    assert client.get(URL).status_code == 200


def test_members_and_outsiders_cannot_see_or_change_rules(
    api_as: Any, hero: Any, outsider: Any, team: Any
) -> None:
    rule = make(team)
    for user in (hero, outsider):
        client = api_as(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"team": "pipeline", "channel": "email"}).status_code == 403
        assert client.delete(f"{URL}/{rule.pk}").status_code == 403
    assert api_as(None).get(URL).status_code == 401
    assert RoutingRule.objects.count() == 1


def test_patch_changes_only_the_fields_sent(api_as: Any, admin: Any, team: Any) -> None:
    rule = make(team, keywords=["export"], name="Exports")
    res = api_as(admin).patch(f"{URL}/{rule.pk}", {"enabled": False})
    assert res.status_code == 200
    assert (res.json()["enabled"], res.json()["keywords"], res.json()["name"]) == (
        False,
        ["export"],
        "Exports",
    )


def test_delete_removes_the_rule_and_audits_it(api_as: Any, admin: Any, team: Any) -> None:
    rule = make(team)
    assert api_as(admin).delete(f"{URL}/{rule.pk}").status_code == 204
    assert not RoutingRule.objects.exists()
    assert Event.objects.filter(action="routing_rule.deleted").exists()


def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    api_as: Any, admin: Any, team: Any
) -> None:
    client = api_as(admin)
    cases = [
        ({"team": "pipeline", "channel": "fax"}, "channel"),
        ({"team": "pipeline", "channel": "email", "organization": "Nobody Inc"}, "organization"),
        ({"team": "pipeline", "channel": "email", "position": -1}, "position"),
        ({"team": "pipeline"}, "channel"),  # a rule without a condition would take everything
    ]
    for payload, field in cases:
        res = client.post(URL, payload)
        assert res.status_code == 422, (payload, res.json())
        assert res.json()["field"] == field
    assert client.post(URL, {"team": "nosuch", "channel": "email"}).status_code == 404
    assert not RoutingRule.objects.exists()


def test_named_routing_fields_and_generic_conditions_are_one_list(
    api_as: Any, admin: Any, team: Any
) -> None:
    api = api_as(admin)
    res = api.post(URL, {"team": "pipeline", "channel": "github", "repository": "acme/app"})
    assert res.status_code == 201, res.json()
    body = res.json()
    assert body["repository"] == "acme/app"
    assert body["conditions"] == [{"field": "repository", "op": "equals", "value": "acme/app"}]
    page = {"field": "page", "op": "glob", "value": "/docs/pipelines/*"}
    res = api.post(URL, {"team": "pipeline", "channel": "community", "conditions": [page]})
    assert res.status_code == 201 and res.json()["conditions"] == [page]
    rid = body["id"]
    cleared = api.patch(f"{URL}/{rid}", {"repository": "", "keywords": ["deploy"]}).json()
    assert cleared["conditions"] == [] and cleared["repository"] == ""


def test_a_bad_condition_is_refused_and_nothing_written(api_as: Any, admin: Any, team: Any) -> None:
    api = api_as(admin)
    bad = [
        {"field": "shoe_size", "op": "equals", "value": "42"},
        {"field": "repository", "op": "glob", "value": "acme/*"},
        {"field": "page", "op": "glob", "value": ""},
    ]
    for cond in bad:
        res = api.post(URL, {"team": "pipeline", "conditions": [cond]})
        assert res.status_code == 422 and res.json()["field"] == "conditions", res.json()
    assert not RoutingRule.objects.exists()
