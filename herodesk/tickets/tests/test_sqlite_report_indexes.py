"""The reports' channel and tier indexes (migration 0015) and value-bucket
indexes (0018) exist on SQLite only, and `migrate` puts them back on SQLite
when a table rebuild lost them."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from herodesk.tickets.models import Ticket
from herodesk.tickets.receivers import sqlite_report_indexes
from herodesk.tickets.report_indexes import SQLITE_REPORT_INDEXES

pytestmark = pytest.mark.django_db(transaction=True)
NAMES = {index.name for index in SQLITE_REPORT_INDEXES}


def ticket_indexes() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, Ticket._meta.db_table))


def test_the_sqlite_report_indexes_exist_on_sqlite_only() -> None:
    assert {
        "ticket_report_channel",
        "ticket_report_tier",
        "ticket_report_frt",
        "ticket_report_frc",
        "ticket_report_res",
    } == NAMES
    if connection.vendor == "sqlite":
        assert ticket_indexes() >= NAMES
    else:
        assert not NAMES & ticket_indexes()
    assert not NAMES & {index.name for index in Ticket._meta.indexes}  # not in Django's state


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own indexes")
def test_migrate_puts_a_lost_index_back_on_sqlite() -> None:
    with connection.cursor() as cursor:
        cursor.execute('DROP INDEX "ticket_report_tier"')
    assert "ticket_report_tier" not in ticket_indexes()
    config = apps.get_app_config("tickets")
    assert sqlite_report_indexes(config, using="default") == ["ticket_report_tier"]
    assert ticket_indexes() >= NAMES
    assert sqlite_report_indexes(config, using="default") == []  # nothing missing: no work


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own indexes")
def test_migrate_rebuilds_an_index_missing_a_column_reports_now_aggregate() -> None:
    """As after migration 0016 added `next_reply_calendar_minutes`: an index
    built from the older column list is replaced by the current one."""
    with connection.cursor() as cursor:
        cursor.execute('DROP INDEX "ticket_report_channel"')
        cursor.execute(
            'CREATE INDEX "ticket_report_channel" ON "tickets_ticket" '
            '("team_id", "channel", "created_at", "next_replies", "next_reply_minutes", '
            '"merged_into_id") WHERE "merged_into_id" IS NULL'
        )
    config = apps.get_app_config("tickets")
    assert sqlite_report_indexes(config, using="default") == ["ticket_report_channel"]
    with connection.cursor() as cursor:
        columns = connection.introspection.get_constraints(cursor, Ticket._meta.db_table)[
            "ticket_report_channel"
        ]["columns"]
    assert "next_reply_calendar_minutes" in columns and "solved_at" in columns
    assert sqlite_report_indexes(config, using="default") == []
