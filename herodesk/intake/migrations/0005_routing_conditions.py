"""Routing conditions stored generically: {"field", "op", "value"} per condition
instead of one column per channel. Existing rules keep every condition."""

from django.db import migrations, models

FIELDS = ("repository", "slack_channel", "sentry_project", "page", "topic")
OPS = {"page": "glob"}  # a page rule is a path or a glob


def to_conditions(apps, schema_editor):
    RoutingRule = apps.get_model("intake", "RoutingRule")
    for rule in RoutingRule.objects.all():
        rule.conditions = [
            {"field": f, "op": OPS.get(f, "equals"), "value": getattr(rule, f)}
            for f in FIELDS
            if getattr(rule, f)
        ]
        rule.save(update_fields=["conditions"])


def to_columns(apps, schema_editor):
    RoutingRule = apps.get_model("intake", "RoutingRule")
    for rule in RoutingRule.objects.all():
        for cond in rule.conditions or []:
            if cond.get("field") in FIELDS:
                setattr(rule, cond["field"], cond.get("value", ""))
        rule.save(update_fields=list(FIELDS))


class Migration(migrations.Migration):
    dependencies = [("intake", "0004_routing_page_topic")]

    operations = [
        migrations.AddField(
            model_name="routingrule",
            name="conditions",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(to_conditions, to_columns),
    ]
