"""The demo desk (desk.toml) routes real-looking items to the five teams."""

from __future__ import annotations

from io import StringIO

import pytest

from herodesk.demo import data
from herodesk.intake import triage
from herodesk.intake.models import RoutingRule

pytestmark = pytest.mark.django_db


def test_demo_rules_route_each_kind_of_item_and_load_once() -> None:
    data._desk(StringIO())
    count = RoutingRule.objects.count()
    out = StringIO()
    data._desk(out)
    assert RoutingRule.objects.count() == count == 12
    assert out.getvalue() == "desk.toml: no changes.\n"
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
