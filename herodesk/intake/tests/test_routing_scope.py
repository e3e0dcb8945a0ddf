"""Issue 16 §2: a lead orders routing rules within their own scope and can
never put a rule ahead of another team's (so never take its intake)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from herodesk.intake.models import RoutingRule
from herodesk.intake.triage import route

pytestmark = pytest.mark.django_db
URL = "/api/v1/routing-rules"


def rule(team: Any, position: int, **conditions: Any) -> RoutingRule:
    now = timezone.now()
    return RoutingRule.objects.create(
        team=team,
        position=position,
        created_at=now,
        updated_at=now,
        **{"channel": "email", **conditions},
    )


@pytest.fixture
def monitoring_takes_email(other_team: Any) -> RoutingRule:
    """The rule an admin set: email goes to Monitoring."""
    return rule(other_team, 150)


def email_team() -> str | None:
    team = route(channel="email", text="our dashboards are empty")
    return team.slug if team else None


def test_a_lead_cannot_put_a_rule_at_position_0_ahead_of_another_team(
    api_as, lead, team, monitoring_takes_email
):
    res = api_as(lead).post(URL, {"team": "pipeline", "position": 0, "channel": "email"})
    assert res.status_code == 422, res.content
    body = res.json()
    assert body["field"] == "position" and "Monitoring" in body["detail"]
    assert RoutingRule.objects.count() == 1
    assert email_team() == "monitoring"


def test_a_lead_rule_without_a_position_goes_after_other_teams_rules(
    api_as, lead, team, monitoring_takes_email
):
    res = api_as(lead).post(URL, {"team": "pipeline", "channel": "email"})
    assert res.status_code == 201, res.content
    assert res.json()["position"] > monitoring_takes_email.position
    assert email_team() == "monitoring"


def test_a_lead_cannot_move_their_rule_ahead_of_another_team(
    api_as, lead, team, monitoring_takes_email
):
    mine = rule(team, 160, keywords=["dashboards"])
    res = api_as(lead).patch(f"{URL}/{mine.pk}", {"position": 10})
    assert res.status_code == 422 and res.json()["field"] == "position"
    mine.refresh_from_db()
    assert mine.position == 160 and email_team() == "monitoring"


def test_a_lead_reorders_their_own_rules_behind_other_teams(
    api_as, lead, team, monitoring_takes_email
):
    first, second = rule(team, 160, keywords=["a"]), rule(team, 170, keywords=["b"])
    api = api_as(lead)
    res = api.patch(f"{URL}/{second.pk}", {"position": 155})
    assert res.status_code == 200, res.content
    order = [r["id"] for r in api.get(URL).json()]
    assert order == [monitoring_takes_email.pk, second.pk, first.pk]


def test_a_lead_keeps_a_place_an_admin_gave_their_rule(api_as, lead, team, monitoring_takes_email):
    placed = rule(team, 10, keywords=["dashboards"])  # an admin put it first
    res = api_as(lead).patch(f"{URL}/{placed.pk}", {"name": "Dashboards", "position": 5})
    assert res.status_code == 200, res.content
    assert email_team() == "pipeline"


def test_an_admin_orders_rules_across_teams(api_as, admin, team, monitoring_takes_email):
    res = api_as(admin).post(URL, {"team": "pipeline", "position": 0, "channel": "email"})
    assert res.status_code == 201, res.content
    assert email_team() == "pipeline"


def test_the_settings_page_applies_the_same_scope(client, lead, team, monitoring_takes_email):
    client.force_login(lead)
    client.post(
        "/teams/pipeline/settings/routing/",
        {"position": "0", "channel": "email", "name": "mine"},
        follow=True,
    )
    assert email_team() == "monitoring"
