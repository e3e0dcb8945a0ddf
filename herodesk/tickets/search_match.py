"""Which tickets a search's text matches, as a condition on tickets (the
words, "phrases" and -exclusions of a query; its filters are `search._filters`).

Both databases ask the full-text index first when its answer is short: up to
FEW matching ids drive the query by primary key (PostgreSQL: a word past
FEW_WORDS only when the planner does not know it as common, `_probed_words`);
more are checked by the list itself, which walks its own index and meets them
soon. The ids travel as one parameter, not a parameter each: PostgreSQL's
array literal (`pg_array`, `AnyOf`), SQLite's JSON array read by `json_each`
(`InJson`).
Split from `tickets/search.py`, which builds pages and ranks on top of this.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F, Lookup, Q
from django.db.models.expressions import RawSQL

from herodesk.domain import search_query as sq
from herodesk.tickets import index
from herodesk.tickets.models import Ticket

FEW = 2000  # matches few enough to drive a filtered list by id
FEW_WORDS = 200  # PostgreSQL, words without a phrase: see _probed_words
PG_QUERY = f"websearch_to_tsquery('{index.CONFIG}', %s)"


def matching_ids(query: sq.Query, *, page: int | None = None) -> Q | None:
    """Tickets whose text matches the words and phrases (None: no text).
    page: the rows a newest-first list with no other condition reads (SQLite
    may then walk `ticket_created` instead of looking up every match, `_walk_is_cheaper`)."""
    if not query.terms:
        return None
    if index.is_postgres():
        sql = f"SELECT ticket_id FROM ticket_search WHERE document @@ {PG_QUERY}"  # noqa: S608
        if query.positive:  # `a -b` is one tsquery, a & !b
            match, exclude = sq.to_websearch(query), None
            # Ask the index first. A word ANALYZE has not seen (a rare one, or none)
            # gets a default estimate of hundreds of matches, and a phrase is
            # rechecked on each row's document: either way the planner would walk
            # the list's own index newest first and test every ticket's document
            # (a word in no ticket, 10 rows: 0.86 s at 100k tickets).
            if any(t.phrase for t in query.positive):
                probed = _probed(f"{sql} LIMIT %s", match, FEW)
            else:
                probed = _probed_words(sql, match)
            return probed or Q(id__in=RawSQL(sql, [match]))  # noqa: S611
        else:  # exclusions only: tickets not matching any of them
            plain = [sq.Term(t.text, phrase=t.phrase) for t in query.negative]
            match, exclude = None, " or ".join(sq.to_websearch(sq.Query((t,))) for t in plain)
    else:
        sql = "SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH %s"
        match, exclude = sq.to_fts5(query)
        if match:
            return _fts5_matching(match, page)
    # The user's text is only ever a parameter; the SQL is constant.
    if match:
        return Q(id__in=RawSQL(sql, [match]))  # noqa: S611
    return ~Q(id__in=RawSQL(sql, [exclude]))  # noqa: S611


class AnyOf(Lookup):
    """PostgreSQL: `column = ANY(%s::bigint[])`, the ids one array parameter
    written as PostgreSQL's array literal (`pg_array`)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", (*params, self.rhs)


class InJson(Lookup):
    """SQLite: `column IN (SELECT value FROM json_each(%s))`, the ids one JSON
    array parameter (the probe's `json_group_array`). An IN list of a
    thousand parameters cost the ORM ~5 ms of CPU to build and bind, more than
    SQLite spends running the list (API `q=` and queue box, 1 % word at 100k)."""

    lookup_name = "in_json"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - lhs: compiled column
        return sql, (*params, self.rhs)


class InJsonWalk(InJson):
    """`InJson` written `+column IN (…)`: SQLite then uses no index for the ids
    and walks the list's own order instead (`_walk_is_cheaper`)."""

    lookup_name = "in_json_walk"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        sql, params = super().as_sql(compiler, connection)
        return f"+{sql}", params


def pg_array(ids: Any) -> str:
    """Integers as one PostgreSQL array literal, `{1,2,3}`, for `%s::bigint[]`.
    psycopg adapts a Python list of ints element by element (1.4 ms of CPU
    for a thousand ids); the text is one string, cast by the server."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


# The probe answers one row: how many matched (up to the limit) and their ids
# as the one parameter the list sends back (no row per id to build): an array
# literal on PostgreSQL, a JSON array on SQLite.
# The third column: SQLite's newest ticket number when a walk may be chosen.
_PG_PROBE = (
    "SELECT count(*), '{{' || string_agg(ticket_id::text, ',') || '}}', NULL FROM ({sql}) probe"
)
_SQLITE_PROBE = "SELECT count(*), json_group_array(rowid), {newest} FROM ({sql})"
_NEWEST_ID = f"(SELECT max(id) FROM {Ticket._meta.db_table})"  # noqa: S608 - a constant

# SQLite, newest-first list: reading one entry of `ticket_created` (covering:
# created_at, id) costs about a tenth of looking a ticket up by id to sort it
# (0.14 against 1.6 µs a row, 100k desk).
WALK_COST = 0.1


def _probed(sql: str, match: str, few: int | None = None, page: int | None = None) -> Q | None:
    """`id IN (the matching ids)` when at most `few` (FEW) tickets match, else None.
    page: see `matching_ids` (SQLite)."""
    few = FEW if few is None else few
    postgres = index.is_postgres()
    if postgres:
        probe = _PG_PROBE.format(sql=sql)
    else:
        probe = _SQLITE_PROBE.format(sql=sql, newest=_NEWEST_ID if page else "NULL")
    with index.planned_with_values(), connection.cursor() as cur:
        cur.execute(probe, [match, few + 1])
        count, array, newest_id = cur.fetchone()
    if count > few:
        return None
    if not count:
        return Q(id__in=[])  # nothing matches: the ORM runs no list at all
    # One parameter, not one per id: for a thousand ids the IN list cost
    # several milliseconds to build, send and parse.
    if postgres:
        return Q(AnyOf(F("id"), array))
    if page and newest_id and _walk_is_cheaper(count, page, newest_id):
        return Q(InJsonWalk(F("id"), array))
    return Q(InJson(F("id"), array))


def _walk_is_cheaper(count: int, page: int, tickets: int) -> bool:
    """SQLite: whether a newest-first page of `page` rows costs less by walking
    `ticket_created` and checking each entry against the ids (about
    page × tickets / count entries, if the matches are spread over time) than
    by looking up all `count` matches and sorting them. Matches that are all
    old make the walk longer, at worst one index-only pass over the desk
    (~14 ms at 100k tickets)."""
    return page * tickets / count * WALK_COST < count


def _probed_words(sql: str, match: str) -> Q | None:
    """PostgreSQL, words without a phrase: the matching ids when they are few.

    Up to FEW_WORDS the probe is cheap (it stops after FEW_WORDS + 1 rows).
    Past that, what decides is whether the word is uncommon (up to FEW
    tickets: its ids drive the list, `= ANY`, which then walks its own index
    and checks each row against them in a hash) or common (the list checks
    `id IN (…)` itself and meets its matches soon). A probe of FEW + 1 rows
    costs a common word ~1,000 heap pages for nothing (7–10 ms for a word in
    30 % of 100k tickets), so the planner's own estimate decides first: it
    knows the frequent words from ANALYZE, and it knows nothing of a word
    rarer than its most common ones (it guesses 0.5 % of the table). The
    middle case was the expensive one for the newest-first list (the API's
    `q=`): a word in 1 % of 100k tickets as `id IN (…)` joined and sorted all
    1,000 tickets (16–22 ms of backend CPU); probed, the list walks
    `ticket_created` newest first, each ticket checked against the ids in a
    hash, and stops after the page (~3 ms). The queue box gains as much: as
    `id IN (…)` PostgreSQL hashed the word's matches and read every active
    ticket of the team to join them (7.4 ms for 3,950 tickets); with the ids
    it looks the 1,000 matches up by key (queue box, 1 % word at 100k, in
    process: 10.2 → 8.3 ms, medians of 5 alternated runs)."""
    probed = _probed(f"{sql} LIMIT %s", match, FEW_WORDS)
    if probed is not None or _estimated_rows(sql, match) > FEW:
        return probed
    return _probed(f"{sql} LIMIT %s", match, FEW)


def _estimated_rows(sql: str, match: str) -> float:
    """The planner's estimate of the rows `sql` returns (PostgreSQL)."""
    with index.planned_with_values(), connection.cursor() as cur:
        cur.execute(f"EXPLAIN (FORMAT JSON) {sql}", [match])
        plan = cur.fetchone()[0]
    return float(plan[0]["Plan"]["Plan Rows"])


def _fts5_matching(match: str, page: int | None = None) -> Q:
    """SQLite's planner cannot tell a rare word from a common one, so ask the
    index first: up to FEW matches drive the query by primary key; more are
    checked row by row while the list walks its own index (queue order,
    newest first), which meets enough of them within a few hundred rows."""
    sql = "SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH %s LIMIT %s"
    few = _probed(sql, match, page=page)
    if few is not None:
        return few
    return Q(MatchesFts(F("id"), match))


class MatchesFts(Lookup):
    """SQLite: the ticket's row of the FTS5 index matches (one index lookup per
    ticket). A lookup, so the ticket's column carries the alias of the query it
    is compiled in (the newest-first list reads its page's ids in a subquery)."""

    lookup_name = "matches_fts"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        sql = f"EXISTS (SELECT 1 FROM ticket_fts WHERE ticket_fts MATCH %s AND rowid = {lhs})"  # noqa: S608
        return sql, (*params, self.rhs)
