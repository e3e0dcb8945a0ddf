"""`ticket_report_frt`, `_frc` and `_res` (the arrivals by value bucket) become
SQLite's only, as 0015 did for the channel and tier indexes: PostgreSQL now
ranks the report figures in the aggregates' own pass (ordered-set aggregates
over `ticket_report`, `reports.sql.aggregates`) and never reads them, while
every ticket write kept three more wide indexes up. Django's state forgets them
on both databases; SQLite keeps the ones it has, and
`tickets.receivers.sqlite_report_indexes` puts them back after any `migrate`."""

from django.db import migrations

NAMES = ("ticket_report_frt", "ticket_report_frc", "ticket_report_res")


def drop_on_postgresql(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in NAMES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create_on_postgresql(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Backwards: the indexes as the migration state before this one defines
    them (today's `SQLITE_REPORT_INDEXES` may name columns that do not exist yet)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    ticket = apps.get_model("tickets", "Ticket")
    for index in ticket._meta.indexes:
        if index.name in NAMES:
            schema_editor.add_index(ticket, index)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0017_report_index_calendar_minutes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="ticket", name=name) for name in NAMES
            ],
            database_operations=[migrations.RunPython(drop_on_postgresql, create_on_postgresql)],
        ),
    ]
