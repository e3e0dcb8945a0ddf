"""The full-text index (docs/search.md): PostgreSQL `ticket_search` (tsvector,
GIN) in the `herodesk` text search configuration, SQLite FTS5 `ticket_fts`;
then every existing ticket is indexed.

The SQL is a frozen copy of herodesk/tickets/index.py as of this migration
(a migration must not change when the app does); `herodesk reindex` rebuilds
with the current one.
"""

from django.db import migrations

PG_CONFIG = """
CREATE TEXT SEARCH DICTIONARY herodesk_english (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION herodesk (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION herodesk
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH {dictionaries};
"""

PG_CREATE = """
CREATE TABLE IF NOT EXISTS ticket_search (
    ticket_id bigint PRIMARY KEY,
    document tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS ticket_search_document ON ticket_search USING gin (document);
"""

PG_FILL = """
INSERT INTO ticket_search (ticket_id, document)
SELECT t.id,
    setweight(to_tsvector('herodesk', t.subject), 'A')
    || setweight(to_tsvector('herodesk', concat_ws(' ', r.name, r.email,
         translate(r.email, '@.+_-', '     '), o.name, t.external_ref)), 'B')
    || setweight(to_tsvector('herodesk', coalesce(msg.body, '')), 'C')
    || setweight(to_tsvector('herodesk', coalesce(msg.notes, '')), 'D')
FROM tickets_ticket t
LEFT JOIN customers_requester r ON r.id = t.requester_id
LEFT JOIN customers_organization o ON o.id = r.organization_id
LEFT JOIN LATERAL (
    SELECT left(string_agg(left(m.body, 20000), E'\\n' ORDER BY m.created_at, m.id)
                FILTER (WHERE m.kind <> 'note'), 200000) AS body,
           left(string_agg(left(m.body, 20000), E'\\n' ORDER BY m.created_at, m.id)
                FILTER (WHERE m.kind = 'note'), 200000) AS notes
    FROM tickets_message m WHERE m.ticket_id = t.id
) msg ON true
ON CONFLICT (ticket_id) DO UPDATE SET document = EXCLUDED.document
"""

PG_DROP = """
DROP TABLE IF EXISTS ticket_search;
DROP TEXT SEARCH CONFIGURATION IF EXISTS herodesk;
DROP TEXT SEARCH DICTIONARY IF EXISTS herodesk_english;
"""

SQLITE_CREATE = """
CREATE VIRTUAL TABLE IF NOT EXISTS ticket_fts USING fts5(
    subject, people, body, notes, tokenize = 'porter unicode61 remove_diacritics 2'
)
"""

SQLITE_FILL = """
INSERT INTO ticket_fts (rowid, subject, people, body, notes)
SELECT t.id, t.subject,
    trim(ifnull(r.name, '') || ' ' || ifnull(r.email, '') || ' ' || ifnull(o.name, '')
         || ' ' || t.external_ref),
    ifnull((SELECT substr(group_concat(substr(body, 1, 20000), char(10)), 1, 200000)
            FROM (SELECT m.body FROM tickets_message m WHERE m.ticket_id = t.id
                  AND m.kind <> 'note' ORDER BY m.created_at, m.id)), ''),
    ifnull((SELECT substr(group_concat(substr(body, 1, 20000), char(10)), 1, 200000)
            FROM (SELECT m.body FROM tickets_message m WHERE m.ticket_id = t.id
                  AND m.kind = 'note' ORDER BY m.created_at, m.id)), '')
FROM tickets_ticket t
LEFT JOIN customers_requester r ON r.id = t.requester_id
LEFT JOIN customers_organization o ON o.id = r.organization_id
"""


def _postgres(cur):
    cur.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
    accent = cur.fetchone() is not None
    if accent:
        try:
            cur.execute("SAVEPOINT herodesk_unaccent")
            cur.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cur.execute("RELEASE SAVEPOINT herodesk_unaccent")
        except Exception:  # no right to create it: fold case, keep diacritics
            cur.execute("ROLLBACK TO SAVEPOINT herodesk_unaccent")
            accent = False
    cur.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'herodesk'")
    if cur.fetchone() is None:
        dictionaries = "unaccent, herodesk_english" if accent else "herodesk_english"
        cur.execute(PG_CONFIG.format(dictionaries=dictionaries))
    cur.execute(PG_CREATE)
    cur.execute(PG_FILL)
    cur.execute("ANALYZE ticket_search")


def forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cur:
        if schema_editor.connection.vendor == "postgresql":
            _postgres(cur)
        else:
            cur.execute(SQLITE_CREATE)
            cur.execute(SQLITE_FILL)


def backward(apps, schema_editor):
    with schema_editor.connection.cursor() as cur:
        if schema_editor.connection.vendor == "postgresql":
            cur.execute(PG_DROP)
        else:
            cur.execute("DROP TABLE IF EXISTS ticket_fts")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0008_looking_into_it_follows_up"), ("customers", "0002_requester_external_id")]
    operations = [migrations.RunPython(forward, backward)]
