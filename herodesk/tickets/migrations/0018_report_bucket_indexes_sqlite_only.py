"""`ticket_report_frt`, `_frc` and `_res` (the arrivals by value bucket) become
SQLite's only, as 0015 did for the channel and tier indexes: PostgreSQL now
ranks the report figures in the aggregates' own pass (ordered-set aggregates
over `ticket_report`, `reports.sql.aggregates`) and never reads them, while
every ticket write kept three more wide indexes up. Django's state forgets them
on both databases; SQLite keeps the ones it has, and
`tickets.receivers.sqlite_report_indexes` puts them back after any `migrate`."""

import importlib

from django.db import migrations

# 0015's operation, for these three.
_sqlite_only = importlib.import_module(
    "herodesk.tickets.migrations.0015_report_indexes_sqlite_only"
).sqlite_only

NAMES = ("ticket_report_frt", "ticket_report_frc", "ticket_report_res")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0017_report_index_calendar_minutes")]

    operations = [_sqlite_only(NAMES)]
