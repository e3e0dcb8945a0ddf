"""Setup pages without Chromium: integrations state and test events through the
real webhook checks, deactivation's preview, roles."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from herodesk.intake import actions as intake_actions
from herodesk.intake.base import process
from herodesk.intake.models import Delivery
from herodesk.rotations import actions as rotation_actions

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(answer: Any) -> str:
    return answer.content.decode()


@pytest.fixture
def repo(team: Any, lead: Any) -> str:
    intake_actions.github_repository_save(full_name="acme/widgets", actor=lead)
    intake_actions.routing_rule_save(
        team=team, actor=lead, name="widgets", channel="github", repository="acme/widgets"
    )
    return "acme/widgets"


def test_the_integrations_page_says_what_is_missing(lead: Any, repo: str) -> None:
    page = text(client_for(lead).get("/teams/pipeline/integrations/"))
    assert "secret not set (HERODESK_GITHUB_SECRET)" in page
    assert "no delivery yet" in page and 'data-repository="acme/widgets"' in page


def test_a_test_event_goes_through_the_real_webhook_path(
    lead: Any, repo: str, settings: Any, team: Any
) -> None:
    settings.HERODESK_GITHUB_SECRET = "s3cret"
    client = client_for(lead)
    answer = client.post(
        "/teams/pipeline/integrations/test/",
        {"channel": "github", "target": repo},
        follow=True,
    )
    assert "Test event accepted as delivery #" in text(answer)
    delivery = Delivery.objects.get(channel="github")
    assert process(delivery).status == "processed"
    delivery.refresh_from_db()
    assert delivery.ticket is not None and delivery.ticket.team == team
    assert delivery.ticket.subject == "Test event from HeroDesk"
    page = text(client.get("/teams/pipeline/integrations/"))
    assert "last delivery 0\xa0minutes ago (processed)" in page


def test_forged_signatures_are_counted_for_the_last_hour(
    lead: Any, repo: str, settings: Any
) -> None:
    settings.HERODESK_GITHUB_SECRET = "s3cret"
    answer = Client().post(
        "/hooks/github",
        data=b"{}",
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256="sha256=00",
        HTTP_X_GITHUB_EVENT="issues",
        HTTP_X_GITHUB_DELIVERY="x",
    )
    assert answer.status_code == 401
    page = text(client_for(lead).get("/teams/pipeline/integrations/"))
    assert "1 signature failure in the last hour" in page


def test_deactivating_shows_first_which_shifts_go_uncovered(
    admin: Any, team: Any, hero: Any
) -> None:
    rotation_actions.rotation_set(
        team, members=["hera"], start=timezone.now() - timedelta(days=1), actor=admin
    )
    client = client_for(admin)
    preview = text(client.get("/people/hera/deactivate/"))
    assert "nobody — uncovered" in preview
    assert hero.__class__.objects.get(pk=hero.pk).is_active  # the preview wrote nothing
    answer = client.post("/people/hera/deactivate/", follow=True)
    assert "now have nobody on call" in text(answer)
    assert not hero.__class__.objects.get(pk=hero.pk).is_active


def test_members_and_integrations_are_for_leads_and_admins(hero: Any, team: Any) -> None:
    client = client_for(hero)
    assert client.get("/teams/pipeline/members/").status_code == 403
    assert client.get("/teams/pipeline/integrations/").status_code == 403
    assert client.get("/teams/new/").status_code == 403
    assert client.get("/people/").status_code == 200


def test_a_lead_routes_a_sentry_project_and_a_slack_channel(lead: Any, team: Any) -> None:
    from herodesk.intake.models import RoutingRule, SlackChannel

    client = client_for(lead)
    client.post("/teams/pipeline/integrations/sources/", {"channel": "sentry", "target": "web"})
    client.post(
        "/teams/pipeline/integrations/sources/",
        {"channel": "slack", "target": "C0SUP", "name": "support", "kind": "support"},
    )
    assert {(r.sentry_project, r.slack_channel) for r in RoutingRule.objects.all()} == {
        ("web", ""),
        ("", "C0SUP"),
    }
    assert SlackChannel.objects.get().kind == "support"
    page = text(client.get("/teams/pipeline/integrations/"))
    assert "project <strong>web</strong>" in page and "channel <strong>C0SUP</strong>" in page
