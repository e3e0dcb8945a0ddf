"""The columns a report aggregates, and SQLite's own report indexes (kept out
of `tickets.models`, whose Meta holds the indexes both databases have)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

# SQLite's own report indexes. Reports by channel and by tier: per key value an
# index range of the arrivals with every column the aggregates read (SQLite
# would otherwise sort the range's rows for GROUP BY). Nearest ranks: per
# figure the arrivals by value bucket (`reports.ranks`). PostgreSQL reads none
# of them (it groups and ranks in one pass over `ticket_report`), so they are
# not in Ticket.Meta: migrations 0015 and 0018 drop them on PostgreSQL, 0014 and
# 0012 created them, and `receivers.sqlite_report_indexes` puts them back after
# every `migrate` (SQLite rebuilds a table for some field changes, keeping only
# the indexes Django's state knows).
# The columns a report row aggregates (`reports.sql.aggregates` reads exactly
# these): an index covers the statement only if it holds every one.
REPORT_AGGREGATED = (
    "first_response_minutes",
    "first_response_grade",
    "breached",
    "late_after",
    "sla_paused_at",
    "solved_at",
    "resolution_minutes",
    "next_replies",
    "next_reply_minutes",
    "next_reply_calendar_minutes",
)
SQLITE_REPORT_INDEXES = (
    *(
        models.Index(
            fields=["team", key, "created_at", *REPORT_AGGREGATED, "merged_into"],
            name=f"ticket_report_{key}",
            condition=Q(merged_into__isnull=True),
        )
        for key in ("channel", "tier")
    ),
    # Per figure, the arrivals in each value bucket: SQLite's nearest ranks
    # (`reports.ranks`) count and order these; PostgreSQL ranks in the
    # aggregates' pass (ordered-set aggregates) and never reads them.
    *(
        models.Index(
            fields=[
                "team",
                f"{figure}_bucket",
                "created_at",
                value,
                "channel",
                "tier",
                "merged_into",
            ],
            name=f"ticket_report_{short}",
            condition=Q(merged_into__isnull=True),
        )
        for short, figure, value in (
            ("frt", "first_response", "first_response_minutes"),
            ("frc", "first_response_calendar", "first_response_calendar_minutes"),
            ("res", "resolution", "resolution_minutes"),
        )
    ),
)
