"""Migrations tickets.0006 and 0013 fill the report figures of rows made before them."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from typing import Any

import pytest
from django.apps import apps

from herodesk.domain import reports as d
from herodesk.tickets import actions
from herodesk.tickets.models import Reopening, Ticket

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


buckets = importlib.import_module("herodesk.tickets.migrations.0013_backfill_report_buckets")


def test_0013_fills_buckets_reopenings_and_next_replies(team: Any, hero: Any) -> None:
    at = datetime(2026, 3, 9, 9, tzinfo=UTC)  # Monday 09:00 London (GMT)
    t = actions.ticket_create(subject="s", body="b", actor="t", team=team, created_at=at)
    actions.ticket_reply(t, author=hero, body="r", at=datetime(2026, 3, 9, 9, 30, tzinfo=UTC))
    actions.ticket_set_status(t, "solved", actor=hero, at=datetime(2026, 3, 9, 10, tzinfo=UTC))
    actions.ticket_requester_message(t, body="again", at=datetime(2026, 3, 9, 11, tzinfo=UTC))
    actions.ticket_reply(t, author=hero, body="r2", at=datetime(2026, 3, 9, 11, 45, tzinfo=UTC))
    actions.ticket_set_status(t, "solved", actor=hero, at=datetime(2026, 3, 9, 12, tzinfo=UTC))
    Reopening.objects.all().delete()  # as before 0012
    Ticket.objects.update(
        first_response_calendar_minutes=None,
        first_response_bucket=None,
        first_response_calendar_bucket=None,
        resolution_bucket=None,
        next_replies=0,
        next_reply_minutes=0.0,
    )

    buckets.buckets(apps, None)
    buckets.reopenings(apps, None)
    buckets.next_replies(apps, None)

    t.refresh_from_db()
    assert t.first_response_calendar_minutes == 30
    assert t.first_response_bucket == t.first_response_calendar_bucket == d.bucket(30)
    assert t.resolution_bucket == d.bucket(180)
    assert (t.next_replies, t.next_reply_minutes) == (1, 45)
    [gap] = Reopening.objects.filter(ticket=t)
    assert (gap.resolved_at.hour, gap.reopened_at.hour) == (10, 11)


calendar = importlib.import_module("herodesk.tickets.migrations.0016_next_reply_calendar")


def test_0016_fills_next_reply_calendar_minutes(team: Any, hero: Any) -> None:
    fri = datetime(2026, 3, 6, 16, tzinfo=UTC)  # Friday 16:00 London (GMT)
    t = actions.ticket_create(subject="s", body="b", actor="t", team=team, created_at=fri)
    actions.ticket_reply(t, author=hero, body="r", at=datetime(2026, 3, 6, 16, 10, tzinfo=UTC))
    actions.ticket_requester_message(t, body="and?", at=datetime(2026, 3, 6, 16, 30, tzinfo=UTC))
    # Answered on Monday: 30 + 50 working minutes, but 2 days 17 h 20 min on the wall clock.
    actions.ticket_reply(t, author=hero, body="r2", at=datetime(2026, 3, 9, 9, 50, tzinfo=UTC))
    once = actions.ticket_create(subject="o", body="b", actor="t", team=team, created_at=fri)
    actions.ticket_reply(once, author=hero, body="r", at=datetime(2026, 3, 6, 16, 5, tzinfo=UTC))
    t.refresh_from_db()
    expected = (2 * 24 + 17) * 60 + 20
    assert (t.next_replies, t.next_reply_minutes, t.next_reply_calendar_minutes) == (
        1,
        80,
        expected,
    )
    Ticket.objects.update(next_reply_calendar_minutes=0.0)  # as before 0016

    calendar.next_reply_calendar(apps, None)

    t.refresh_from_db()
    once.refresh_from_db()
    assert t.next_reply_calendar_minutes == expected
    assert once.next_reply_calendar_minutes == 0  # no next reply: nothing to fill
