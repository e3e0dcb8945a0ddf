"""The per-channel columns, now in RoutingRule.conditions (0004)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("intake", "0005_routing_conditions")]

    operations = [
        migrations.RemoveField(model_name="routingrule", name="repository"),
        migrations.RemoveField(model_name="routingrule", name="slack_channel"),
        migrations.RemoveField(model_name="routingrule", name="sentry_project"),
        migrations.RemoveField(model_name="routingrule", name="page"),
        migrations.RemoveField(model_name="routingrule", name="topic"),
    ]
