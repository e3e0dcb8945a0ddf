"""Next-reply time in calendar minutes (SPEC §10): each ticket keeps the sum
beside the working-minute one (`tickets.actions.reply`), and `ticket_report`
holds it so a report still reads the index alone.

Backfill: the tickets that have next replies get their calendar minutes from
the messages and the solves in the audit log, by the same definition
(`domain.reports.responses`) that 0013 used for the count and working minutes.
Calendar minutes need no calendar and ignore pauses, so the sum is exact.
On SQLite, adding the column rebuilds the table; the post_migrate receiver
(`tickets.receivers.sqlite_report_indexes`) rebuilds the SQLite-only report
indexes with the new column."""

from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings
from django.db import migrations, models

from herodesk.domain import reports as d
from herodesk.domain import sla
from herodesk.domain.business_hours import Calendar

BATCH = 2000
# 0013's reading of a conversation's clock events (messages, audit-log solves), used as it is.
_history = importlib.import_module("herodesk.tickets.migrations.0013_backfill_report_buckets")


def next_reply_calendar(apps: Any, schema_editor: Any) -> None:
    Ticket = apps.get_model("tickets", "Ticket")
    Message = apps.get_model("tickets", "Message")
    Event = apps.get_model("audit", "Event")
    calendar = Calendar.from_spec("UTC", _history.WEEKDAY_HOURS)  # calendar minutes need none
    targets = sla.Targets()
    ids = list(
        Ticket.objects.filter(next_replies__gt=0).order_by("pk").values_list("pk", flat=True)
    )
    for i in range(0, len(ids), BATCH):
        chunk = ids[i : i + BATCH]
        events = _history.conversation_events(Message, Event, chunk)
        tickets = list(Ticket.objects.filter(pk__in=chunk).only("pk"))
        for t in tickets:
            t.next_reply_calendar_minutes = sum(
                r.calendar_minutes
                for r in d.responses(calendar, events.get(t.pk, []), targets)
                if r.kind == "next_reply"
            )
        Ticket.objects.bulk_update(tickets, ["next_reply_calendar_minutes"])


def analyze(apps: Any, schema_editor: Any) -> None:
    """SQLite plans by the last ANALYZE: give the rebuilt index its statistics
    if the tickets have some (as 0014)."""
    conn = schema_editor.connection
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cur.fetchone() is None:
            return
        cur.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'tickets_ticket' LIMIT 1")
        if cur.fetchone() is not None:
            cur.execute("ANALYZE ticket_report")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("customers", "0002_requester_external_id"),
        ("teams", "0002_invitations_archive_token_expiry"),
        ("tickets", "0015_report_indexes_sqlite_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="ticket", name="ticket_report"),
        migrations.AddField(
            model_name="ticket",
            name="next_reply_calendar_minutes",
            field=models.FloatField(default=0.0),
        ),
        migrations.RunPython(next_reply_calendar, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=[
                    "team",
                    "created_at",
                    "first_response_minutes",
                    "first_response_grade",
                    "breached",
                    "late_after",
                    "sla_paused_at",
                    "solved_at",
                    "closed_at",
                    "resolution_minutes",
                    "next_replies",
                    "next_reply_minutes",
                    "next_reply_calendar_minutes",
                    "first_response_bucket",
                    "first_response_calendar_bucket",
                    "resolution_bucket",
                    "channel",
                    "tier",
                    "merged_into",
                ],
                name="ticket_report",
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
