"""Demo intake configuration (called by `herodesk demo`): routing rules for the
five demo teams, the Slack channels and GitHub repositories HeroDesk listens
to. Loading twice changes nothing."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction

from herodesk.intake import actions as rules
from herodesk.intake.models import GitHubRepository, RoutingRule, SlackChannel
from herodesk.teams.models import Team

ACTOR = "demo"
# position, name, team slug, conditions
RULES: list[tuple[int, str, str, dict[str, Any]]] = [
    (10, "Ingestion alerts", "pipeline", {"channel": "sentry", "sentry_project": "ingestion"}),
    (
        20,
        "Plugin server alerts",
        "pipeline",
        {"channel": "sentry", "sentry_project": "plugin-server"},
    ),
    (30, "Web app alerts", "product-analytics", {"channel": "sentry", "sentry_project": "web"}),
    (40, "Other alerts", "monitoring", {"channel": "sentry"}),
    (50, "posthog-js issues", "feature-success", {"repository": "posthog/posthog-js"}),
    (60, "Helm chart issues", "infrastructure", {"repository": "posthog/charts"}),
    (
        100,
        "Flags, experiments, surveys",
        "feature-success",
        {"keywords": ["feature flag", "flag", "experiment", "survey", "a/b test"]},
    ),
    (
        110,
        "Replay and error tracking",
        "monitoring",
        {"keywords": ["session recording", "replay", "error tracking", "exception"]},
    ),
    (
        120,
        "Ingestion and exports",
        "pipeline",
        {
            "keywords": [
                "ingestion",
                "missing events",
                "batch export",
                "export",
                "webhook",
                "destination",
                "pipeline",
            ]
        },
    ),
    (
        130,
        "Instances and deployments",
        "infrastructure",
        {
            "keywords": [
                "self-hosted",
                "helm",
                "eu instance",
                "us instance",
                "downtime",
                "sso",
                "saml",
                "slow",
            ]
        },
    ),
    (
        140,
        "Insights and dashboards",
        "product-analytics",
        {
            "keywords": [
                "insight",
                "dashboard",
                "funnel",
                "trend",
                "retention",
                "chart",
                "hogql",
                "sql",
            ]
        },
    ),
    (200, "Remaining GitHub issues", "product-analytics", {"channel": "github"}),
]
SLACK_CHANNELS = [
    ("C0SUPPORT01", "support", "support"),
    ("C0CSESCAL01", "cs-escalations", "cs_escalation"),
    ("C0COMMUNI01", "community", "community"),
    ("C0GENERAL01", "general", "community"),
]
REPOSITORIES = ["posthog/posthog", "posthog/posthog-js", "posthog/charts"]


def _rules(teams: dict[str, Team]) -> int:
    made = 0
    for position, name, slug, conditions in RULES:
        team = teams.get(slug)
        if team is None:
            continue
        rules.routing_rule_save(team=team, actor=ACTOR, name=name, position=position, **conditions)
        made += 1
    return made


def load(out: IO[str]) -> None:
    with transaction.atomic():
        for channel_id, name, kind in SLACK_CHANNELS:
            SlackChannel.objects.get_or_create(
                channel_id=channel_id, defaults={"name": name, "kind": kind}
            )
        for full_name in REPOSITORIES:
            GitHubRepository.objects.get_or_create(full_name=full_name)
        if RoutingRule.objects.exists():
            out.write("Routing rules already configured; nothing to add.\n")
            return
        teams = {t.slug: t for t in Team.objects.all()}
        made = _rules(teams)
    out.write(
        f"Loaded {made} routing rules, {len(SLACK_CHANNELS)} Slack channels and "
        f"{len(REPOSITORIES)} GitHub repositories.\n"
    )
