"""Ticket search: one function for the search page, the queue's filter box and
the API's `q=` (docs/search.md).

The query language is `domain/search_query.py` (words, "phrases", -exclusions,
team:/status:/tier:/channel:/from:/org:/before:/after: filters, #123). Text
goes to the full-text index (`tickets/index.py`): FTS5 MATCH on SQLite,
websearch_to_tsquery on PostgreSQL; filters are conditions on the ticket.

- `condition(query)`: the query as a condition on tickets, for lists that keep
  their own order (the queue box, the API's newest-first list);
- `search(...)`: ranked results (BM25 on SQLite, ts_rank_cd on PostgreSQL,
  newer first on ties) with keyset paging and highlighted snippets.

Ranking reads the newest RANK_WINDOW (500) matching tickets (by ticket number) and
orders those: every query costs about the same whether a word is in ten
tickets or in a third of the desk. When more tickets match, the page says so
(`SearchPage.capped`) and the older ones are reached by narrowing the query
(more words, `before:`, `team:`) or newest first (`order="newest"`).
"""

from __future__ import annotations

import base64
import struct
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from herodesk.domain import search_query as sq
from herodesk.domain.search_snippet import Segment, Snipper
from herodesk.lib.errors import Invalid
from herodesk.lib.prepared import PreparedRows
from herodesk.tickets import index, queries, search_match
from herodesk.tickets.models import Message, Status, Ticket
from herodesk.tickets.search_match import AnyOf, matching_ids, pg_array

RANK_WINDOW = 500
ORDERS = ("relevance", "newest")
_PG_QUERY = search_match.PG_QUERY
# ts_rank_cd weights for D (notes), C (messages), B (people), A (subject),
# in the proportions of FTS5's bm25 column weights; 1 = divide by 1 + log(length).
_PG_RANK = f"ts_rank_cd('{{0.05, 0.1, 0.4, 1.0}}', ticket_search.document, {_PG_QUERY}, 1)"
_FTS5_RANK = "-bm25(ticket_fts, {})".format(", ".join(str(w) for w in index.BM25_WEIGHTS))


def parse(text: str) -> sq.Query:
    """The query someone typed; a filter that cannot mean anything is Invalid (q)."""
    try:
        return sq.parse(text)
    except sq.QueryError as exc:
        raise Invalid(exc.message, field="q") from None


def _day(d: Any) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


def _filters(query: sq.Query) -> Q:
    """The field:value filters (several values of one field: any of them)."""
    out = Q()
    for name in ("team", "status", "tier", "channel", "from", "org"):
        for negated in (False, True):
            values = query.values(name, negated=negated)
            if not values:
                continue
            cond = Q()
            for value in values:
                cond |= _field(name, value)
            out &= ~cond if negated else cond
    for d in query.dates("after"):
        out &= Q(created_at__gte=_day(d))
    for d in query.dates("before"):
        out &= Q(created_at__lt=_day(d))
    if query.ids:
        out &= Q(pk__in=query.ids)
    return out


def _field(name: str, value: str) -> Q:
    if name == "team":
        return Q(team__slug=value)
    if name == "status":
        if value not in Status.values:
            raise Invalid(f"status: must be one of {', '.join(Status.values)}", field="q")
        return Q(status=value)
    if name == "tier":
        return Q(tier=int(value))
    if name == "channel":
        return Q(channel=value)
    if name == "from":
        return Q(requester__email__iexact=value) | Q(requester__name__icontains=value)
    return Q(requester__organization__name__icontains=value)  # org


def condition(query: sq.Query | str) -> Q | None:
    """The whole query (text and filters) as a condition on Ticket; None when
    there is nothing to filter on."""
    query = parse(query) if isinstance(query, str) else query
    if not query:
        return None
    out = _filters(query)
    text = matching_ids(query)
    return out & text if text is not None else out


# --- ranked search ---------------------------------------------------------


@dataclass
class SearchPage:
    rows: list[Any]  # Ticket instances, or dicts with `search(values=True)`
    next_cursor: str | None
    query: sq.Query
    snippets: dict[int, list[Segment]] = field(default_factory=dict)
    capped: bool = False  # more than RANK_WINDOW tickets matched (relevance order)


def _encode(score: float, pk: int) -> str:
    return base64.urlsafe_b64encode(struct.pack(">dq", score, pk)).decode().rstrip("=")


def _decode(cursor: str) -> tuple[float, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        score, pk = struct.unpack(">dq", raw)
    except (ValueError, struct.error):
        raise Invalid("cursor is not valid", field="cursor") from None
    return score, pk


# Ranking: the index drives (newest first, stopping after the window), each
# candidate checked against the ticket filters by primary key; the score is
# computed for the window's rows only.
_FTS5_RANKED = f"""
SELECT rowid, {_FTS5_RANK} FROM ticket_fts
WHERE ticket_fts MATCH %s AND EXISTS ({{tickets}})
ORDER BY rowid DESC LIMIT %s
"""  # noqa: S608 - constants; {tickets} is ORM SQL, values are parameters
_PG_RANKED = f"""
SELECT w.ticket_id, {_PG_RANK.replace("ticket_search.", "w.")} FROM (
    SELECT s.ticket_id, s.document FROM ticket_search s
    WHERE s.document @@ {_PG_QUERY} AND EXISTS ({{tickets}})
    ORDER BY s.ticket_id DESC LIMIT %s
) w
"""  # noqa: S608


def _ranked(qs: QuerySet[Ticket], query: sq.Query) -> list[tuple[int, float]]:
    """(id, score) of the newest RANK_WINDOW + 1 tickets of `qs` matching the text."""
    key = "s.ticket_id" if index.is_postgres() else "ticket_fts.rowid"
    if qs.query.where:  # the filters, checked per candidate by primary key
        tickets = qs.order_by().filter(id=RawSQL(key, ())).values("id")  # noqa: S611 - a column
        sql, params = tickets.query.sql_with_params()
    else:  # no filter: no join (PostgreSQL would hash all tickets for it)
        sql, params = "SELECT 1", ()
    if index.is_postgres():
        text = sq.to_websearch(query)
        statement, args = (
            _PG_RANKED.replace("{tickets}", sql),
            [text, text, *params, RANK_WINDOW + 1],
        )
    else:
        match, _ = sq.to_fts5(query)  # with a positive term: one expression
        statement, args = _FTS5_RANKED.replace("{tickets}", sql), [match, *params, RANK_WINDOW + 1]
    with index.planned_with_values(), connection.cursor() as cur:
        cur.execute(statement, args)
        return [(pk, float(score)) for pk, score in cur.fetchall()]


def search(
    text: str | sq.Query,
    *,
    within: QuerySet[Ticket] | None = None,
    order: str = "relevance",
    cursor: str = "",
    limit: int = 50,
    snippets: bool = True,
    columns: tuple[str, ...] = (),
    values: bool = False,
) -> SearchPage:
    """Tickets matching `text` among `within` (default: every ticket; callers
    narrow it by team, status or role), one page of `limit`.

    relevance: best first, newer first on ties, among the newest RANK_WINDOW
    matches. newest: created_at, id descending over every match (the cursor
    is the API's `created~id`).

    columns: the only columns the caller reads from the rows, related ones as
    `team__name` (those relations are joined); by default every column but
    the channel metadata, with the team, requester, organization and assignee.
    values: the rows as `values(*columns)` dicts, not model instances (the
    API's lists: no instance of the ticket and of each relation)."""
    query = parse(text) if isinstance(text, str) else text
    if values and not columns:
        raise ValueError("values=True needs the columns")
    if order not in ORDERS:
        raise Invalid(f"order must be one of {', '.join(ORDERS)}", field="order")
    if not query:
        return SearchPage([], None, query)
    qs = (within if within is not None else Ticket.objects.all()).filter(_filters(query))
    if order == "newest" or not query.positive:
        page = _newest(qs, query, cursor, limit, columns, values)
    else:
        page = _by_relevance(qs, query, cursor, limit, columns, values)
    if snippets and page.rows:
        page.snippets = _snippets(page.rows, query)
    return page


def _loaded(qs: QuerySet[Ticket], columns: tuple[str, ...], values: bool = False) -> Any:
    """The rows with what the caller reads (see `search`'s columns and values)."""
    if values:
        return qs.values(*columns)
    if not columns:
        return queries.with_related(qs)
    related = {c.rsplit("__", 1)[0] for c in columns if "__" in c}
    return qs.select_related(*sorted(related)).only(*columns)


def _pk(row: Any) -> int:
    return row["id"] if isinstance(row, dict) else row.pk


def _by_relevance(
    qs: QuerySet[Ticket],
    query: sq.Query,
    cursor: str,
    limit: int,
    columns: tuple[str, ...],
    values: bool = False,
) -> SearchPage:
    hits = _ranked(qs, query)
    capped = len(hits) > RANK_WINDOW
    hits = sorted(hits[:RANK_WINDOW], key=lambda h: (-h[1], -h[0]))
    if cursor:
        after = _decode(cursor)
        key = (-after[0], -after[1])
        hits = [h for h in hits if (-h[1], -h[0]) > key]
    page, more = hits[:limit], len(hits) > limit
    ids = [pk for pk, _ in page]
    if values and ids and index.is_postgres():
        loaded = _values_by_id(columns, ids)
    else:
        chosen = Ticket.objects.filter(pk__in=ids)
        # Result rows do not show channel metadata: not parsed (a JSON document each).
        loaded = _loaded(chosen if columns else chosen.defer("metadata"), columns, values)
    by_id = {_pk(r): r for r in loaded}
    rows = [by_id[pk] for pk, _ in page if pk in by_id]
    nxt = _encode(page[-1][1], page[-1][0]) if more and page else None
    return SearchPage(rows, nxt, query, capped=capped)


_VALUES_BY_ID: dict[tuple[str, ...], PreparedRows] = {}


def _values_by_id(columns: tuple[str, ...], ids: list[int]) -> list[dict[str, Any]]:
    """PostgreSQL: `Ticket.objects.filter(pk__in=ids).values(*columns)`, compiled
    once per `columns` (`lib.prepared`): the ids are one array parameter, so
    the SQL is the same for any page. Compiling the statement cost the search
    page more CPU (1.3 ms) than PostgreSQL spends running it. SQLite's IN list
    changes with the page: the ORM builds it."""
    prepared = _VALUES_BY_ID.get(columns)
    if prepared is None:
        prepared = _VALUES_BY_ID[columns] = PreparedRows(
            Ticket,
            lambda ids: Ticket.objects.filter(AnyOf(F("id"), ids)).values_list(*columns),
        )
    return [dict(zip(columns, row, strict=True)) for row in prepared.all(pg_array(ids))]


def _newest(
    qs: QuerySet[Ticket],
    query: sq.Query,
    cursor: str,
    limit: int,
    columns: tuple[str, ...],
    values: bool = False,
) -> SearchPage:
    text = matching_ids(query, page=None if qs.query.where else limit + 1)
    if text is not None:
        qs = qs.filter(text)
    if cursor:
        try:
            created, pk = queries.decode_cursor(cursor).split("~")
            at, number = datetime.fromisoformat(created), int(pk)
        except ValueError:
            raise Invalid("cursor is not valid", field="cursor") from None
        if not queries.cursor_fits(number, at):
            raise Invalid("cursor is not valid", field="cursor")
        qs = qs.filter(Q(created_at__lt=at) | Q(created_at=at, id__lt=number))
    # The page's ids first, then their columns and relations: joined for the
    # whole match they cost the API's 1 % word at 100k ~1.4 ms (SQLite), and
    # the ids alone walk `ticket_created` index-only (PostgreSQL).
    newest = ("-created_at", "-id")
    page = qs.order_by(*newest).values("id")[: limit + 1]
    with index.planned_with_values():
        rows = list(_loaded(Ticket.objects.filter(id__in=page), columns, values).order_by(*newest))
    nxt = None
    if len(rows) > limit:
        last = rows[limit - 1]
        created = last["created_at"] if values else last.created_at
        nxt = queries.encode_cursor(f"{created.isoformat()}~{_pk(last)}")
    return SearchPage(rows[:limit], nxt, query)


_BODIES = f"""SELECT ticket_id, body FROM {Message._meta.db_table} WHERE {{where}}
ORDER BY ticket_id, created_at, id"""  # noqa: S608 - constants


def _snippets(rows: list[Any], query: sq.Query) -> dict[int, list[Segment]]:
    """For each ticket, the first message (in time order) where a word of the
    query appears, cut around it, the words marked. One query."""
    words = sq.words_of(query)
    if not words:
        return {}
    bodies: dict[int, list[str]] = defaultdict(list)
    ids = [_pk(t) for t in rows]
    params: list[Any] = [pg_array(ids)]
    if index.is_postgres():  # one array parameter, as in search_match._probed
        where = "ticket_id = ANY(%s::bigint[])"
    else:
        where, params = f"ticket_id IN ({', '.join(['%s'] * len(ids))})", list(ids)
    # Constant SQL (the ORM's compiling of this one query cost more than running it).
    with connection.cursor() as cur:
        cur.execute(_BODIES.format(where=where), params)
        for ticket_id, body in cur.fetchall():
            bodies[ticket_id].append(body)
    out: dict[int, list[Segment]] = {}
    snippet = Snipper(words)
    for pk in map(_pk, rows):
        for body in bodies.get(pk, ()):
            segments = snippet(body)
            if segments:
                out[pk] = segments
                break
    return out
