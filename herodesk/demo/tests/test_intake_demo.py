"""The demo intake configuration routes real-looking items to the five teams."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest

from herodesk.demo import intake as demo
from herodesk.intake import triage
from herodesk.intake.models import RoutingRule
from herodesk.teams.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(db: Any) -> None:
    for slug in (
        "product-analytics",
        "feature-success",
        "monitoring",
        "pipeline",
        "infrastructure",
    ):
        Team.objects.create(slug=slug, name=slug.replace("-", " ").title())


def test_demo_rules_route_each_kind_of_item_and_load_once(teams: None) -> None:
    demo.load(StringIO())
    count = RoutingRule.objects.count()
    out = StringIO()
    demo.load(out)
    assert RoutingRule.objects.count() == count and "nothing to add" in out.getvalue()
    cases = {
        ("email", "Feature flag not evaluated on first load", ""): "feature-success",
        ("email", "Batch export to S3 fails", ""): "pipeline",
        ("bug_report", "Funnel insight shows nothing", ""): "product-analytics",
        ("sentry", "KeyError in consumer", "ingestion"): "pipeline",
        ("sentry", "TypeError", "unknown-project"): "monitoring",
    }
    for (channel, text, project), slug in cases.items():
        team = triage.route(channel=channel, text=text, sentry_project=project)
        assert team is not None and team.slug == slug, (channel, text)
