"""Triage: routing rules (first match), tiers, self-hosted suggestions."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from herodesk.customers.models import Organization, Requester
from herodesk.domain.tiers import Tier
from herodesk.intake import triage
from herodesk.intake.models import RoutingRule, SlackChannel
from herodesk.tickets import actions

pytestmark = pytest.mark.django_db


NAMED = ("repository", "slack_channel", "sentry_project", "page")


def rule(team: Any, position: int = 100, **conditions: Any) -> RoutingRule:
    """A rule; routing fields given by name become generic conditions."""
    now = timezone.now()
    ops = conditions.pop("ops", {})
    generic = [
        {"field": f, "op": ops.get(f, "equals"), "value": conditions.pop(f)}
        for f in NAMED
        if f in conditions
    ]
    return RoutingRule.objects.create(
        team=team,
        position=position,
        created_at=now,
        updated_at=now,
        conditions=generic,
        **conditions,
    )


def test_no_matching_rule_means_unrouted(team: Any) -> None:
    rule(team, channel="github")
    assert triage.route(channel="email", text="hello") is None


def test_the_first_matching_rule_by_position_wins(team: Any, other_team: Any) -> None:
    rule(other_team, position=20, keywords=["export"])
    rule(team, position=10, channel="email")
    assert triage.route(channel="email", text="export fails") == team
    assert triage.route(channel="bug_report", text="export fails") == other_team


def test_every_set_condition_must_match(team: Any) -> None:
    rule(team, channel="github", repository="PostHog/posthog")
    assert triage.route(channel="github", repository="posthog/POSTHOG") == team
    assert triage.route(channel="github", repository="posthog/other") is None
    assert triage.route(channel="email", repository="posthog/posthog") is None


def test_keywords_match_whole_words_case_insensitively(team: Any) -> None:
    rule(team, keywords=["flag", "A/B test"])
    assert triage.route(channel="email", text="Feature FLAG is off") == team
    assert triage.route(channel="email", text="our a/b test broke") == team
    assert triage.route(channel="email", text="the flagship plan") is None


def test_disabled_rules_are_skipped(team: Any) -> None:
    rule(team, channel="email", enabled=False)
    assert triage.route(channel="email") is None


def test_organization_rules_match_the_requesters_organization(
    team: Any, big_requester: Requester
) -> None:
    rule(team, organization=big_requester.organization)
    assert triage.route(channel="email", requester=big_requester) == team
    assert triage.route(channel="email") is None


def test_slack_rules_match_the_channel_id_or_its_configured_name(team: Any) -> None:
    SlackChannel.objects.create(channel_id="C0SUPPORT1", name="support", kind="support")
    rule(team, slack_channel="#support")
    assert triage.route(channel="slack", slack_channel="C0SUPPORT1") == team
    assert triage.route(channel="slack", slack_channel="C0OTHER001") is None


def test_sentry_project_rules(team: Any) -> None:
    rule(team, sentry_project="front-end")
    assert triage.route(channel="sentry", sentry_project="Front-End") == team


def test_tier_follows_channel_plan_and_escalation(
    big_requester: Requester, free_requester: Requester
) -> None:
    assert triage.tier_for("email", big_requester) == Tier.HIGH
    assert triage.tier_for("email", free_requester) == Tier.LOW
    assert triage.tier_for("sentry", big_requester) == Tier.ALERT
    assert triage.tier_for("github", None) == Tier.COMMUNITY
    assert triage.tier_for("slack", free_requester, escalated=True) == Tier.CS_ESCALATION


def test_a_self_hosted_organization_gets_the_policy_reply_suggested(db: Any) -> None:
    org = Organization.objects.create(name="Umbrella", plan="free", self_hosted=True)
    requester = Requester.objects.create(email="u@umbrella.example", organization=org)
    ticket = actions.ticket_create(
        subject="Upgrade fails",
        body="Migration 0042 breaks",
        actor="email",
        channel="email",
        requester=requester,
    )
    ticket.refresh_from_db()
    [suggestion] = ticket.metadata["suggestions"]
    assert suggestion["kind"] == "self_hosted" and "Umbrella" in suggestion["reason"]
    assert "GitHub issue" in suggestion["body"]


def test_self_hosted_keywords_are_detected_in_the_message(db: Any) -> None:
    ticket = actions.ticket_create(
        subject="Help",
        body="We run it with docker compose on EC2",
        actor="bug_report",
        channel="bug_report",
    )
    ticket.refresh_from_db()
    assert "docker compose" in ticket.metadata["suggestions"][0]["reason"]


def test_ordinary_tickets_and_alerts_get_no_suggestion(paying_requester: Requester) -> None:
    plain = actions.ticket_create(
        subject="Charts",
        body="Blank charts since today",
        actor="email",
        channel="email",
        requester=paying_requester,
    )
    alert = actions.ticket_create(
        subject="self-hosted worker crashed", body="trace", actor="sentry", channel="sentry"
    )
    for ticket in (plain, alert):
        ticket.refresh_from_db()
        assert "suggestions" not in ticket.metadata


def test_conditions_are_generic_field_op_value(team: Any, other_team: Any) -> None:
    """A channel's routing fields come from the registry; glob matches page paths."""
    rule(team, channel="community", page="/docs/data-pipelines/*", ops={"page": "glob"})
    rule(other_team, channel="community", page="/docs/feature-flags")
    assert triage.route(channel="community", page="/docs/data-pipelines/s3") == team
    assert triage.route(channel="community", page="/docs/feature-flags") == other_team
    assert triage.route(channel="community", page="/docs/feature-flags/beta") is None
    assert triage.route(channel="community") is None


def test_a_condition_on_a_field_no_channel_offers_never_matches(team: Any) -> None:
    now = timezone.now()
    RoutingRule.objects.create(
        team=team,
        created_at=now,
        updated_at=now,
        conditions=[{"field": "discord_channel", "op": "equals", "value": "x"}],
    )
    assert triage.route(channel="email", discord_channel="x") is None
