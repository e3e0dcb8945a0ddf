"""Receivers of lower layers' signals (connected in TicketsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import Field
from django.db.models.signals import post_delete, post_migrate
from django.dispatch import receiver

from herodesk.customers.signals import requester_changed
from herodesk.teams.signals import calendar_changed
from herodesk.tickets.models import Ticket
from herodesk.tickets.report_indexes import SQLITE_REPORT_INDEXES


@receiver(calendar_changed, dispatch_uid="tickets.calendar_changed")
def on_calendar_changed(sender: Any, team: Any, actor: Any = None, **kwargs: Any) -> int:
    """New targets or hours: move the running clocks; how many tickets moved."""
    # lazy: the ticket actions load on first use, not at every start-up (`herodesk who`).
    from herodesk.tickets.actions.clocks import tickets_recompute_clocks

    return tickets_recompute_clocks(team, actor=actor)


@receiver(requester_changed, dispatch_uid="tickets.requester_changed")
def on_requester_changed(sender: Any, requester: Any, **kwargs: Any) -> int:
    """A requester's name or organization is searchable: reindex their tickets."""
    from herodesk.tickets.actions.index import tickets_index_requester  # lazy: as above

    return tickets_index_requester(requester.pk)


@receiver(post_delete, sender=Ticket, dispatch_uid="tickets.unindex")
def on_ticket_deleted(sender: Any, instance: Ticket, **kwargs: Any) -> None:
    """A deleted ticket leaves the full-text index in the same transaction."""
    from herodesk.tickets.actions.index import tickets_unindex  # lazy: as above

    tickets_unindex([instance.pk])


def _column(name: str) -> str:
    field = Ticket._meta.get_field(name)
    assert isinstance(field, Field)  # the report indexes name concrete columns
    return str(field.column)


@receiver(post_migrate, dispatch_uid="tickets.sqlite_report_indexes")
def sqlite_report_indexes(sender: Any, using: str = "default", **kwargs: Any) -> list[str]:
    """After `migrate` on SQLite: create the SQLite-only report indexes that are
    missing (a table rebuild keeps only the indexes Django's state knows) or
    whose columns are no longer `tickets.report_indexes.SQLITE_REPORT_INDEXES`' (a
    column added to what reports aggregate); the names (re)built. Rebuilt
    indexes get their ANALYZE statistics when the tickets have some."""
    if getattr(sender, "label", None) != "tickets":
        return []
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    table = Ticket._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return []  # migrated backwards past the tickets
        present = connection.introspection.get_constraints(cursor, table)
    stale = [
        index
        for index in SQLITE_REPORT_INDEXES
        if index.name not in present
        or present[index.name]["columns"] != [_column(f) for f in index.fields]
    ]
    if not stale:
        return []
    with connection.schema_editor() as editor:
        for index in stale:
            if index.name in present:
                editor.remove_index(Ticket, index)
            editor.add_index(Ticket, index)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1' AND type = 'table'")
        if cursor.fetchone() is not None:
            cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
            if cursor.fetchone() is not None:
                for index in stale:
                    cursor.execute(f'ANALYZE "{index.name}"')
    return [index.name for index in stale]
