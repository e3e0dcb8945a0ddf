"""Macro now lives in the tickets app (state only: the table web_macro is kept)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("web", "0002_default_macros"),
        ("tickets", "0003_macro_from_web"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Macro")],
            database_operations=[],
        ),
    ]
