"""Migration tickets.0006 fills the report minutes of rows made before them."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from typing import Any

import pytest
from django.apps import apps

from herodesk.tickets import actions
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db
backfill = importlib.import_module("herodesk.tickets.migrations.0006_backfill_report_minutes")


def test_old_rows_get_their_working_minutes(team: Any, hero: Any) -> None:
    at = datetime(2026, 3, 6, 16, 30, tzinfo=UTC)  # Friday 16:30 London (GMT)
    t = actions.ticket_create(subject="s", body="b", actor="t", team=team, created_at=at)
    actions.ticket_reply(t, author=hero, body="r", at=datetime(2026, 3, 9, 9, 20, tzinfo=UTC))
    actions.ticket_set_status(t, "solved", actor=hero, at=datetime(2026, 3, 9, 10, tzinfo=UTC))
    unrouted = actions.ticket_create(subject="u", body="b", actor="t", created_at=at)
    Ticket.objects.update(first_response_minutes=None, resolution_minutes=None)  # as before 0005

    backfill.backfill(apps, None)

    t.refresh_from_db()
    assert (t.first_response_minutes, t.resolution_minutes) == (50, 90)
    unrouted.refresh_from_db()
    assert unrouted.first_response_minutes is None and unrouted.resolution_minutes is None
