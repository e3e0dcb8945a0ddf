"""`ticket_report_channel` and `ticket_report_tier` become SQLite's only: on
PostgreSQL the reports by channel and tier hash their few groups over
`ticket_report` and never read them, while every ticket write kept them up
(~0.3 ms backend CPU per create and per reply, bench/RESULTS.md). Django's state
forgets them on both databases; SQLite keeps the ones migration 0014 built, and
`tickets.receivers.sqlite_report_indexes` puts them back after any `migrate`."""

from django.db import migrations

NAMES = ("ticket_report_channel", "ticket_report_tier")


def sqlite_only(names: tuple[str, ...]) -> migrations.SeparateDatabaseAndState:
    """Django's state forgets the indexes `names`; PostgreSQL drops them (and,
    backwards, builds them as the migration state before defines them: today's
    `SQLITE_REPORT_INDEXES` may name columns that do not exist yet). SQLite
    keeps them. Used by 0018 too."""

    def drop_on_postgresql(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in names:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    def create_on_postgresql(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        ticket = apps.get_model("tickets", "Ticket")
        for index in ticket._meta.indexes:
            if index.name in names:
                schema_editor.add_index(ticket, index)

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.RemoveIndex(model_name="ticket", name=n) for n in names],
        database_operations=[migrations.RunPython(drop_on_postgresql, create_on_postgresql)],
    )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0014_report_indexes_covering")]

    operations = [sqlite_only(NAMES)]
