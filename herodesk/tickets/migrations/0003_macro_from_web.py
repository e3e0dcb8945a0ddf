"""Macro moves from the web app to tickets (state only: the table web_macro stays as it is)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0002_queue_counts_index"),
        ("teams", "0001_initial"),
        ("web", "0002_default_macros"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Macro",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=100)),
                        ("body", models.TextField()),
                        ("kind", models.CharField(choices=[("public", "Public reply"), ("note", "Internal note")], default="public", max_length=8)),
                        ("set_status", models.CharField(blank=True, choices=[("", "Leave as is"), ("pending", "Pending"), ("solved", "Solved")], max_length=8)),
                        ("position", models.PositiveSmallIntegerField(default=100)),
                        ("created_at", models.DateTimeField()),
                        ("updated_at", models.DateTimeField()),
                        ("team", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="macros", to="teams.team")),
                        ("updated_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "web_macro",
                        "ordering": ["position", "name", "id"],
                        "constraints": [
                            models.UniqueConstraint(fields=("team", "name"), name="macro_team_name_unique"),
                            models.UniqueConstraint(condition=models.Q(("team__isnull", True)), fields=("name",), name="macro_global_name_unique"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
