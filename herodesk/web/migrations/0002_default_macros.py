"""The handbook's policies as global macros (offered on every team)."""

from django.db import migrations
from django.utils import timezone

MACROS = [
    ("Looking into it", "", 10,
     "Hey {{ requester.first_name }},\n\n"
     "thanks for reaching out, and sorry for the trouble! I'm looking into this now. It may "
     "take a little while to get to the bottom of it, but I'll get back to you as soon as "
     "I know more.\n\n"
     "Best,\n{{ agent.first_name }}"),
    ("Need more details", "pending", 20,
     "Hey {{ requester.first_name }},\n\n"
     "thanks for the report! To dig into this I need a couple more details: the steps that "
     "lead to the problem, what you expected to happen, and a link to the page where you "
     "see it (a screenshot helps too).\n\n"
     "As soon as I have those I'll take it from there.\n\n"
     "Best,\n{{ agent.first_name }}"),
    ("Self-hosted redirect", "solved", 30,
     "Hey {{ requester.first_name }},\n\n"
     "thanks for reaching out! It looks like you are running a self-hosted instance. "
     "We don't provide support for self-hosted deployments, but our docs cover "
     "self-serve open-source setup and troubleshooting.\n\n"
     "If you believe something is broken in the docs or in the deployment setup, please "
     "file a GitHub issue so we and the community can look at it.\n\n"
     "Thanks for understanding!"),
    ("Fixed — let us know", "solved", 40,
     "Hey {{ requester.first_name }},\n\n"
     "good news: this should be fixed now. Could you give it another try and let me know "
     "if it works for you? If anything still looks off, just reply to this message and the "
     "ticket opens again.\n\n"
     "Thanks for your patience,\n{{ agent.first_name }}"),
]


def add(apps, schema_editor):
    Macro = apps.get_model("web", "Macro")
    now = timezone.now()
    for name, status, position, body in MACROS:
        Macro.objects.get_or_create(
            team=None, name=name,
            defaults={"body": body, "kind": "public", "set_status": status,
                      "position": position, "created_at": now, "updated_at": now},
        )


def remove(apps, schema_editor):
    Macro = apps.get_model("web", "Macro")
    Macro.objects.filter(team=None, name__in=[m[0] for m in MACROS]).delete()


class Migration(migrations.Migration):
    dependencies = [("web", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
