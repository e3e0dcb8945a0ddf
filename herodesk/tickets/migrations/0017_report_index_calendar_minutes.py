"""`ticket_report` holds each ticket's first-response calendar minutes too:
PostgreSQL ranks the three report figures (first response in working and in
calendar minutes, resolution) in the aggregates' own pass, reading their
values (`reports.sql.aggregates`), and with this column it reads the index
alone. The rebuilt index gets its statistics where the tickets have some
(SQLite plans by the last ANALYZE; as 0016)."""

import importlib

from django.conf import settings
from django.db import migrations, models

# 0016's ANALYZE of the rebuilt index, used as it is.
_analyze = importlib.import_module("herodesk.tickets.migrations.0016_next_reply_calendar").analyze


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0002_requester_external_id"),
        ("teams", "0002_invitations_archive_token_expiry"),
        ("tickets", "0016_next_reply_calendar"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="ticket",
            name="ticket_report",
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=[
                    "team",
                    "created_at",
                    "first_response_minutes",
                    "first_response_calendar_minutes",
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
        migrations.RunPython(_analyze, migrations.RunPython.noop),
    ]
