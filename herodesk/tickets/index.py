"""The full-text index of tickets: its shape on each database and the SQL that
fills it. Reads and DDL only; the writes that keep it in step are in
`tickets/actions/index.py` (docs/search.md).

One document per ticket, rebuilt from the tables whenever its text changes:

- subject: the ticket's subject (PostgreSQL weight A; FTS5 column `subject`, bm25 weight 10);
- people: requester name and email, organization, external reference (B; `people`, 4);
- body: requester messages and public replies, in time order (C; `body`, 1);
- notes: internal notes, searchable as the desk is staff-only (D; `notes`, 0.5).

PostgreSQL: table `ticket_search(ticket_id bigint primary key, document
tsvector)` with the GIN index `ticket_search_document`, in the text search
configuration `herodesk` (English stemming without stop words, so a phrase
keeps every word, and `unaccent` first when the contrib extension is there).

SQLite: the FTS5 table `ticket_fts(subject, people, body, notes)`, rowid = the
ticket id, tokenizer `porter unicode61 remove_diacritics 2` (case and
diacritics folded, Porter stemming). It stores its own copy of the text (a
plain FTS5 table, neither external-content nor contentless): deleting or
replacing a document by rowid then needs nothing but the rowid, `snippet()`
works, and `integrity-check` can verify it. External content over the live
tables would need the exact old text of every document before each change
(a merge moves messages between tickets), and contentless tables only
support DELETE from SQLite 3.43 (Debian 12 ships 3.40).

Each message counts with its first MESSAGE_CHARS characters and each part with
its first PART_CHARS, so a pasted log cannot outgrow a tsvector (1 MB).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

MESSAGE_CHARS = 20_000
PART_CHARS = 200_000
CONFIG = "herodesk"  # PostgreSQL text search configuration
BM25_WEIGHTS = (10.0, 4.0, 1.0, 0.5)  # subject, people, body, notes

FTS5_TOKENIZER = "porter unicode61 remove_diacritics 2"  # as created by migration 0009


def is_postgres(conn: Any = None) -> bool:
    return (conn or connection).vendor == "postgresql"


@contextmanager
def planned_with_values() -> Iterator[None]:
    """PostgreSQL: plan the enclosed statements with their values every time.

    The desk prepares statements on the server (settings: `server_side_binding`,
    `prepare_threshold`), and after five runs PostgreSQL may keep a generic plan
    of a prepared statement: one plan whatever the words. A full-text search's
    cost depends on the words: a word in no ticket wants the GIN index, a word
    in a third of them the newest-first walk that stops after the ranking
    window. A generic plan chosen after phrases took 36–60 ms for a word in
    30 % of 100k tickets that its own plan finds in 1.3 ms. Unprepared, a
    statement is planned with its parameters (about 0.1–0.3 ms here)."""
    if not is_postgres():
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.prepare_threshold
    raw.prepare_threshold = None  # psycopg: run unprepared, planned with the values
    try:
        yield
    finally:
        if connection.connection is raw:
            raw.prepare_threshold = before


# --- PostgreSQL ------------------------------------------------------------


def _pg_part(kind: str) -> str:
    return (
        f"left(string_agg(left(m.body, {MESSAGE_CHARS}), E'\\n' ORDER BY m.created_at, m.id) "
        f"FILTER (WHERE m.kind {kind}), {PART_CHARS})"
    )


# The documents of the tickets chosen by {where} (on `t`, tickets_ticket).
PG_DOCUMENTS = f"""
SELECT t.id,
    setweight(to_tsvector('{CONFIG}', t.subject), 'A')
    || setweight(to_tsvector('{CONFIG}', concat_ws(' ', r.name, r.email,
         translate(r.email, '@.+_-', '     '), o.name, t.external_ref)), 'B')
    || setweight(to_tsvector('{CONFIG}', coalesce(msg.body, '')), 'C')
    || setweight(to_tsvector('{CONFIG}', coalesce(msg.notes, '')), 'D')
FROM tickets_ticket t
LEFT JOIN customers_requester r ON r.id = t.requester_id
LEFT JOIN customers_organization o ON o.id = r.organization_id
LEFT JOIN LATERAL (
    SELECT {_pg_part("<> 'note'")} AS body, {_pg_part("= 'note'")} AS notes
    FROM tickets_message m WHERE m.ticket_id = t.id
) msg ON true
WHERE {{where}}
"""  # noqa: S608 - constants; {where} is ours, values are parameters

PG_UPSERT = f"""
INSERT INTO ticket_search (ticket_id, document)
{PG_DOCUMENTS}
ON CONFLICT (ticket_id) DO UPDATE SET document = EXCLUDED.document
"""


# --- SQLite FTS5 -----------------------------------------------------------


def _sqlite_part(kind: str) -> str:
    return (
        f"(SELECT substr(group_concat(substr(body, 1, {MESSAGE_CHARS}), char(10)), 1, "  # noqa: S608
        f"{PART_CHARS}) FROM (SELECT m.body FROM tickets_message m WHERE m.ticket_id = t.id "
        f"AND m.kind {kind} ORDER BY m.created_at, m.id))"
    )


SQLITE_DOCUMENTS = f"""
SELECT t.id, t.subject,
    trim(ifnull(r.name, '') || ' ' || ifnull(r.email, '') || ' ' || ifnull(o.name, '')
         || ' ' || t.external_ref),
    ifnull({_sqlite_part("<> 'note'")}, ''),
    ifnull({_sqlite_part("= 'note'")}, '')
FROM tickets_ticket t
LEFT JOIN customers_requester r ON r.id = t.requester_id
LEFT JOIN customers_organization o ON o.id = r.organization_id
WHERE {{where}}
"""  # noqa: S608 - constants; {where} is ours, values are parameters

SQLITE_INSERT = f"INSERT INTO ticket_fts (rowid, subject, people, body, notes) {SQLITE_DOCUMENTS}"


def folds_diacritics(conn: Any = None) -> bool:
    """Does this database's index ignore diacritics (FTS5 always; PostgreSQL
    with the unaccent extension)?"""
    conn = conn or connection
    if not is_postgres(conn):
        return True
    with conn.cursor() as cur:
        cur.execute("SELECT to_tsvector(%s, 'café') @@ to_tsquery(%s, 'cafe')", [CONFIG, CONFIG])
        return bool(cur.fetchone()[0])
