"""Similar solved tickets: the past answers a hero may reuse (issue 17 §2).

    similar_to(ticket, first_message=None, limit=3) -> Similar

Reads the full-text index of `herodesk.tickets.index` (one document per
ticket: subject, people, body, notes); builds no index of its own.

1. The ticket's subject and first message give at most 12 significant terms
   (`herodesk.domain.similar_terms`: folded, stop words dropped, subject words
   counted twice).
2. One statement counts, for each term, the indexed tickets that contain it,
   up to RARE_CAP + 1 (a bounded count: it stops at the cap whatever the size
   of the desk). With ENOUGH_RARE terms in at most RARE_CAP tickets, those are
   the query; otherwise a second statement counts the others up to DF_CAP + 1
   and terms in more than DF_CAP tickets are dropped (too common to tell
   tickets apart). Of what is left the rarest MAX_QUERY_TERMS are kept, so a
   query matches at most MAX_QUERY_TERMS × DF_CAP documents, whether the desk
   has 1k or 1M tickets.
3. One statement ranks the matches among solved and closed tickets, not this
   ticket, not merged into another one (a merged duplicate's messages live on
   the survivor), not the ticket this one was merged into: BM25 with the
   index's column weights on SQLite FTS5; on PostgreSQL the sum of the
   matched terms' IDF (log of tickets / tickets with the term), then
   `ts_rank`. On FTS5 only the subject and the requester/reply text count
   (columns `subject`, `body`), not the requester's name or internal notes;
   on PostgreSQL the IDF sum reads the GIN index (whole documents) and
   `ts_rank` weighs the subject (A) and conversation (C) only.
4. One statement reads the answer of each of the best POOL candidates: the
   last public reply (written by the desk) at or before the ticket was solved
   (or closed, when it was closed without being solved). Candidates without
   one (answered at the source, alerts solved silently) are skipped; the first
   `limit` with an answer are returned.

Three to five queries (one more when `first_message` is not given), none of
them growing with the number of tickets beyond the caps. Reading is
open to every agent, like the ticket itself (docs/permissions.md); callers
check that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import F
from django.db.models.functions import Coalesce

from herodesk.domain import similar_terms
from herodesk.tickets import index
from herodesk.tickets.models import Message, MessageKind, Status, Ticket

RESULTS = 3
POOL = 12  # candidates ranked before those without an answer are skipped
DF_CAP = 1000  # a term in more indexed tickets than this is too common to use
# Counting stops at RARE_CAP first; with ENOUGH_RARE words that rare the
# query uses those and the commoner ones are not counted further.
RARE_CAP = 100
ENOUGH_RARE = 4
MAX_QUERY_TERMS = 8
# Rank the best TOP matches from the index alone, then look up their tickets:
# exact whenever POOL of them pass the filters (see _rank).
TOP = 200
SOLVED = (Status.SOLVED.value, Status.CLOSED.value)
# FTS5 bm25 weights of the index's columns (subject, people, body, notes):
# the subject counts most; who asked says nothing about the problem.
BM25_WEIGHTS = (10.0, 0.0, 1.0, 0.5)


@dataclass(frozen=True)
class Suggestion:
    """One similar solved ticket and the public reply that solved it."""

    ticket: Ticket
    answer: Message
    score: float


@dataclass(frozen=True)
class Similar:
    """What `similar_to` found. `terms`: the words the query used (the rarest
    first); `common`: significant words left out because too many tickets
    have them; `suggestions`: best first."""

    terms: tuple[str, ...] = ()
    common: tuple[str, ...] = ()
    suggestions: list[Suggestion] = field(default_factory=list)


def first_message(ticket: Ticket) -> str:
    """The body of the ticket's first message that is not an internal note."""
    row = (
        Message.objects.filter(ticket_id=ticket.pk)
        .exclude(kind=MessageKind.NOTE)
        .order_by("created_at", "id")
        .values_list("body", flat=True)[:1]
    )
    return next(iter(row), "")


def similar_to(
    ticket: Ticket, first_message_body: str | None = None, limit: int = RESULTS
) -> Similar:
    """The `limit` solved tickets that best match `ticket`'s subject and first
    message, each with its answer. `first_message_body`: pass it when the
    conversation is loaded already (saves a query)."""
    body = first_message(ticket) if first_message_body is None else first_message_body
    wanted = similar_terms.terms(ticket.subject, body, ignore=_who(ticket))
    if not wanted:
        return Similar()
    known: dict[str, int] = {}  # estimated from the index's statistics: not counted again
    counts, total = _document_counts(wanted, RARE_CAP, known)
    cap = RARE_CAP
    if sum(1 for t in wanted if 0 < counts[t] <= RARE_CAP) < ENOUGH_RARE:
        cap = DF_CAP
        more = [t for t in wanted if counts[t] > RARE_CAP and t not in known]
        if more:
            counts.update(_document_counts(more, DF_CAP)[0])
    usable = sorted((t for t in wanted if 0 < counts[t] <= cap), key=lambda t: counts[t])
    usable = usable[:MAX_QUERY_TERMS]
    common = tuple(t for t in wanted if counts[t] > cap)
    if not usable:
        return Similar(common=common)
    exclude = [ticket.pk, ticket.merged_into_id or ticket.pk]
    weights = {t: math.log(1 + max(total, counts[t]) / counts[t]) for t in usable}
    # Σ counts ≥ the documents matching any term: with at most TOP of them the
    # first step sees them all and is exact on its own.
    ranked = _rank(usable, weights, exclude, whole=sum(counts[t] for t in usable) <= TOP)
    return Similar(tuple(usable), common, _with_answers(ranked, limit))


def _who(ticket: Ticket) -> frozenset[str]:
    """The words of the requester's name, email and organization."""
    requester: Any = ticket.requester if ticket.requester_id else None
    if requester is None:
        return frozenset()
    org = requester.organization if requester.organization_id else None
    text = " ".join([requester.name or "", requester.email or "", org.name if org else ""])
    return frozenset(similar_terms.words(text))


# --- step 2: how many tickets have each term ----------------------------------


def _document_counts(
    terms: list[str], cap: int, known: dict[str, int] | None = None
) -> tuple[dict[str, int], int]:
    """{term: indexed tickets with it, counted up to cap + 1}, and the
    number of tickets (the largest ticket id: an index lookup, not a count).

    PostgreSQL: a term among the lexemes ANALYZE tracks for `ticket_search`
    (`pg_stats.most_common_elems`: the ~1,000 commonest, each in more than
    about 1 % of the tickets) is not counted: its share of the sampled
    documents times the table's rows is its count, and it is put in `known`.
    Counting a common term is the expensive case (the GIN index reads its
    whole posting list, then the heap rows), a rare one's list is short."""
    if index.is_postgres():
        return _document_counts_postgres(terms, cap, known if known is not None else {})
    one = "(SELECT count(*) FROM (SELECT 1 FROM ticket_fts WHERE ticket_fts MATCH %s LIMIT %s))"
    params: list[Any] = []
    for term in terms:
        params += ["{subject body} : " + similar_terms.fts5_or([term]), cap + 1]
    sql = "SELECT " + ", ".join([one] * len(terms))
    sql += ", (SELECT max(id) FROM tickets_ticket)"
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    return dict(zip(terms, (int(n) for n in row[:-1]), strict=True)), int(row[-1] or 0)


# The sampled share of documents with each tracked lexeme (ANALYZE keeps it;
# none before the first ANALYZE), then per term: its share when its only
# lexeme is tracked, else its bounded count. One statement.
_PG_COUNTS = f"""
WITH tracked AS MATERIALIZED (
    SELECT e.lexeme, e.share FROM pg_stats s
    CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs)
        AS e(lexeme, share)
    WHERE s.schemaname = current_schema() AND s.tablename = 'ticket_search'
        AND s.attname = 'document' AND e.lexeme IS NOT NULL
), asked AS (
    SELECT u.term, u.n, tsvector_to_array(to_tsvector('{index.CONFIG}', u.term)) AS lexemes
    FROM unnest(%s::text[]) WITH ORDINALITY AS u(term, n)
)
SELECT a.term, t.share * (SELECT reltuples FROM pg_class WHERE oid = 'ticket_search'::regclass),
    CASE WHEN t.share IS NULL THEN (SELECT count(*) FROM (SELECT 1 FROM ticket_search
        WHERE document @@ to_tsquery('{index.CONFIG}', a.term) LIMIT %s) c) END,
    (SELECT max(id) FROM tickets_ticket)
FROM asked a LEFT JOIN tracked t ON cardinality(a.lexemes) = 1 AND t.lexeme = a.lexemes[1]
ORDER BY a.n
"""  # noqa: S608 - constants; terms and the cap are parameters


def _document_counts_postgres(
    terms: list[str], cap: int, known: dict[str, int]
) -> tuple[dict[str, int], int]:
    with index.planned_with_values(), connection.cursor() as cur:
        cur.execute(_PG_COUNTS, [terms, cap + 1])
        rows = cur.fetchall()
    counts, total = {}, 0
    for term, estimate, counted, top in rows:
        total = int(top or 0)
        if estimate is not None:
            counts[term] = known[term] = max(1, round(float(estimate)))
        else:
            counts[term] = int(counted)
    return counts, total


# --- step 3: rank ----------------------------------------------------------------
# The SQL below is built from constants and %s placeholders only: every term
# and id is a parameter.

_CANDIDATE = "t.status IN (%s, %s) AND t.merged_into_id IS NULL AND t.id <> %s AND t.id <> %s"


def _rank(
    terms: list[str], weights: dict[str, float], exclude: list[int], *, whole: bool
) -> list[tuple[int, float]]:
    """(ticket id, score) of the best POOL candidates, best first.

    Looking up the ticket of every matching document (its status, whether it
    was merged) is most of the cost at 100k tickets, so the index first ranks
    its TOP best documents on its own and only those are looked up. When at
    least POOL of them pass the filters they are exactly the best POOL that
    pass (every document outside TOP ranks below all of them); otherwise, and
    only if more than TOP documents match (`whole` False), a second
    statement ranks every match with the filters applied."""
    postgres = index.is_postgres()
    rank = _rank_postgres if postgres else _rank_sqlite
    rows = rank(terms, weights, exclude, top=TOP)
    if len(rows) < POOL and not whole:
        rows = rank(terms, weights, exclude, top=None)
    return rows


def _rank_sqlite(
    terms: list[str], weights: dict[str, float], exclude: list[int], top: int | None
) -> list[tuple[int, float]]:
    """BM25 with the column weights (FTS5's is lower-is-better: negated)."""
    bm25 = "bm25(ticket_fts, " + ", ".join(str(w) for w in BM25_WEIGHTS) + ")"
    inner = f"SELECT rowid AS id, -{bm25} AS score FROM ticket_fts WHERE ticket_fts MATCH %s"  # noqa: S608
    if top is not None:
        inner += f" ORDER BY {bm25} LIMIT {int(top)}"
    sql = (
        f"SELECT t.id, s.score FROM ({inner}) s "  # noqa: S608 - constants
        "CROSS JOIN tickets_ticket t ON t.id = s.id "
        f"WHERE {_CANDIDATE} ORDER BY s.score DESC, t.id DESC LIMIT %s"
    )
    match = "{subject body} : (" + similar_terms.fts5_or(terms) + ")"
    with connection.cursor() as cur:
        cur.execute(sql, [match, *SOLVED, *exclude, POOL])
        return [(int(pk), float(score)) for pk, score in cur.fetchall()]


def _rank_postgres(
    terms: list[str], weights: dict[str, float], exclude: list[int], top: int | None
) -> list[tuple[int, float]]:
    """Σ IDF of the matched terms, then ts_rank (subject above conversation).

    The Σ comes from the GIN index term by term (a plain term needs no
    recheck, so no document is read); only the best `top` documents are
    read, once each, for ts_rank. Without `top`, every match is."""
    config = index.CONFIG
    each = " UNION ALL ".join(
        f"SELECT ticket_id, %s::float8 AS w FROM ticket_search "  # noqa: S608 - constants
        f"WHERE document @@ to_tsquery('{config}', %s)"
        for _ in terms
    )
    best = f"SELECT ticket_id AS id, sum(w) AS idf FROM ({each}) m GROUP BY ticket_id"  # noqa: S608
    if top is not None:
        best += f" ORDER BY idf DESC LIMIT {int(top)}"
    sql = (
        f"SELECT t.id, b.idf + ts_rank(d.document, to_tsquery('{config}', %s)) AS score "  # noqa: S608
        f"FROM ({best}) b JOIN tickets_ticket t ON t.id = b.id "
        "JOIN ticket_search d ON d.ticket_id = b.id "
        f"WHERE {_CANDIDATE} ORDER BY score DESC, t.id DESC LIMIT %s"
    )
    params: list[Any] = [" | ".join(f"{t}:AC" for t in terms)]
    for term in terms:
        params += [weights[term], term]
    with index.planned_with_values(), connection.cursor() as cur:
        cur.execute(sql, [*params, *SOLVED, *exclude, POOL])
        return [(int(pk), float(score)) for pk, score in cur.fetchall()]


# What the panel and the API show of each answer and its ticket (the rows are
# wide: loading only these halves the cost of this step).
_ANSWER_FIELDS = (
    "id", "ticket_id", "kind", "body", "created_at", "author_id",
    "author__username", "author__first_name", "author__last_name",
    "ticket__id", "ticket__subject", "ticket__status", "ticket__team_id",
    "ticket__solved_at", "ticket__closed_at", "ticket__merged_into_id",
    "ticket__team__id", "ticket__team__slug", "ticket__team__name",
)  # fmt: skip


def _with_answers(ranked: list[tuple[int, float]], limit: int) -> list[Suggestion]:
    if not ranked:
        return []
    ids = [pk for pk, _ in ranked]
    replies = (
        Message.objects.filter(ticket_id__in=ids, kind=MessageKind.PUBLIC)
        .filter(created_at__lte=Coalesce(F("ticket__solved_at"), F("ticket__closed_at")))
        .select_related("ticket__team", "author")
        .only(*_ANSWER_FIELDS)
        .order_by("ticket_id", "-created_at", "-id")
    )
    answers: dict[int, Message] = {}
    for reply in replies:  # the public replies of at most POOL tickets
        answers.setdefault(reply.ticket_id, reply)
    out = []
    for pk, score in ranked:
        answer = answers.get(pk)
        if answer is not None:
            out.append(Suggestion(ticket=answer.ticket, answer=answer, score=score))
        if len(out) == limit:
            break
    return out
