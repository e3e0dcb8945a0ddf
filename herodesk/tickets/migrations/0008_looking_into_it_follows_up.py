"""The handbook's "Looking into it" promises to get back: it sets a follow-up."""

from django.db import migrations


def forward(apps, schema_editor):
    Macro = apps.get_model("tickets", "Macro")
    Macro.objects.filter(team__isnull=True, name="Looking into it").update(follow_up=True)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0007_follow_up")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
