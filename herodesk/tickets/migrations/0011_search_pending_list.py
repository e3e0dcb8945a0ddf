"""PostgreSQL: keep the GIN index's pending list short (256 kB instead of the
server's 4 MB default). Every search scans the pending list, and a long one
makes the planner prefer a sequential scan over the index; new documents
still go in cheaply and are merged 256 kB at a time. Then the entries the
fill of 0009 left pending are merged. Nothing to do on SQLite."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        cur.execute("ALTER INDEX ticket_search_document SET (gin_pending_list_limit = 256)")
        cur.execute("SELECT gin_clean_pending_list('ticket_search_document')")
        cur.execute("ANALYZE ticket_search")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute("ALTER INDEX ticket_search_document RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0010_queue_mine_order")]
    operations = [migrations.RunPython(forward, backward)]
