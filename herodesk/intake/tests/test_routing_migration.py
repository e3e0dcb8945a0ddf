"""Migrating routing rules from one column per channel to generic conditions loses nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("intake", "0004_routing_page_topic")]
AFTER = [("intake", "0006_drop_routing_columns")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_each_column_becomes_a_condition_and_back() -> None:
    old = migrate(BEFORE)
    Team = old.get_model("teams", "Team")
    Rule = old.get_model("intake", "RoutingRule")
    team = Team.objects.create(name="Pipeline", slug="pipeline-m")
    now = timezone.now()
    Rule.objects.create(
        team=team, repository="acme/app", sentry_project="web", created_at=now, updated_at=now
    )
    Rule.objects.create(team=team, slack_channel="#support", created_at=now, updated_at=now)
    Rule.objects.create(team=team, channel="email", created_at=now, updated_at=now)
    Rule.objects.create(team=team, page="/docs/x/*", topic="alerts", created_at=now, updated_at=now)
    try:
        new = migrate(AFTER)
        rules = list(new.get_model("intake", "RoutingRule").objects.order_by("pk"))
        assert [r.conditions for r in rules] == [
            [
                {"field": "repository", "op": "equals", "value": "acme/app"},
                {"field": "sentry_project", "op": "equals", "value": "web"},
            ],
            [{"field": "slack_channel", "op": "equals", "value": "#support"}],
            [],
            [
                {"field": "page", "op": "glob", "value": "/docs/x/*"},
                {"field": "topic", "op": "equals", "value": "alerts"},
            ],
        ]
        back = migrate(BEFORE)
        rows = back.get_model("intake", "RoutingRule").objects.order_by("pk")
        assert [(r.repository, r.slack_channel, r.sentry_project, r.page) for r in rows] == [
            ("acme/app", "", "web", ""),
            ("", "#support", "", ""),
            ("", "", "", ""),
            ("", "", "", "/docs/x/*"),
        ]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
