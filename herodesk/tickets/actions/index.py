"""Writes to the full-text index (`tickets/index.py`): the actions that change
a ticket's text call `tickets_index` inside their transaction, so the index
commits or rolls back with the change; `tickets_reindex` rebuilds it all.

Every write rebuilds whole documents from the tables with one statement, so
the index cannot drift from what the tables say, whichever action ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from herodesk.tickets import index

REINDEX_BATCH = 2_000


def _ids_clause(ids: list[int]) -> tuple[str, list[int]]:
    if len(ids) == 1:
        # One ticket (a create, a reply, a note): `t.id = %s`. PostgreSQL's
        # prepared statement then settles on its generic plan after five runs;
        # with `= ANY(%s)` the generic plan's guess of ten rows looks dearer
        # than a custom plan of one, so the statement was planned afresh every
        # time (0.5 of its 1.1 ms of backend CPU, `bench/bench_index_upkeep.py`).
        return "t.id = %s", ids
    if index.is_postgres():
        return "t.id = ANY(%s)", [ids]  # type: ignore[list-item]
    return f"t.id IN ({', '.join(['%s'] * len(ids))})", ids


def _write(where: str, params: list, drop: tuple[str, list] | None = None) -> int:
    """Rebuild the documents of the tickets matched by `where` (on `t`)."""
    with connection.cursor() as cur:
        if index.is_postgres():
            cur.execute(index.PG_UPSERT.format(where=where), params)
            return cur.rowcount
        if drop is not None:
            cur.execute(*drop)
        cur.execute(index.SQLITE_INSERT.format(where=where), params)
        return cur.rowcount


def tickets_index(ticket_ids: Iterable[int]) -> int:
    """(Re)index these tickets from the tables; callers hold the transaction.
    Returns how many documents were written."""
    ids = sorted({int(i) for i in ticket_ids if i is not None})
    if not ids:
        return 0
    where, params = _ids_clause(ids)
    drop = None
    if not index.is_postgres():
        marks = ", ".join(["%s"] * len(ids))
        drop = (f"DELETE FROM ticket_fts WHERE rowid IN ({marks})", ids)  # noqa: S608 - marks
    return _write(where, params, drop)


def tickets_index_new(ticket_id: int) -> None:
    """Index a ticket just created (nothing to replace)."""
    where, params = _ids_clause([ticket_id])
    _write(where, params)


def tickets_index_requester(requester_id: int) -> int:
    """A requester's name or organization changed: reindex their tickets."""
    where = "t.requester_id = %s"
    drop = None
    if not index.is_postgres():
        drop = (
            "DELETE FROM ticket_fts WHERE rowid IN "
            "(SELECT id FROM tickets_ticket WHERE requester_id = %s)",
            [requester_id],
        )
    return _write(where, [requester_id], drop)


def tickets_unindex(ticket_ids: Iterable[int]) -> int:
    """Drop deleted tickets' documents."""
    ids = sorted({int(i) for i in ticket_ids})
    if not ids:
        return 0
    marks = ", ".join(["%s"] * len(ids))
    table, key = ("ticket_search", "ticket_id") if index.is_postgres() else ("ticket_fts", "rowid")
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {table} WHERE {key} IN ({marks})", ids)  # noqa: S608 - names
        return cur.rowcount


@dataclass
class ReindexReport:
    indexed: int = 0
    removed: int = 0
    batches: int = 0


def tickets_reindex(
    batch: int = REINDEX_BATCH, progress: Callable[[ReindexReport], None] | None = None
) -> ReindexReport:
    """Rebuild every ticket's document from the tables, `batch` tickets per
    transaction (by id), and drop documents whose ticket is gone. Idempotent:
    running it twice gives the same index."""
    report = ReindexReport()
    last = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT id FROM tickets_ticket WHERE id > %s ORDER BY id LIMIT %s",
                    [last, batch],
                )
                ids = [row[0] for row in cur.fetchall()]
            if not ids:
                break
            first, last = ids[0], ids[-1]
            where, params = "t.id BETWEEN %s AND %s", [first, last]
            drop = None
            if not index.is_postgres():
                drop = ("DELETE FROM ticket_fts WHERE rowid BETWEEN %s AND %s", [first, last])
            report.indexed += _write(where, params, drop)
            report.batches += 1
        if progress is not None:
            progress(report)
    with transaction.atomic(), connection.cursor() as cur:
        table, key = (
            ("ticket_search", "ticket_id") if index.is_postgres() else ("ticket_fts", "rowid")
        )
        cur.execute(
            f"DELETE FROM {table} WHERE {key} NOT IN (SELECT id FROM tickets_ticket)"  # noqa: S608
        )
        report.removed = max(cur.rowcount, 0)
    with connection.cursor() as cur:
        if index.is_postgres():
            # Move the GIN index's pending entries into the index proper (a long
            # pending list makes every search scan it, and the planner prefer a
            # sequential scan), then refresh the statistics.
            cur.execute("SELECT gin_clean_pending_list('ticket_search_document')")
            cur.execute("ANALYZE ticket_search")
        else:  # merge the batches' segments for faster reads
            cur.execute("INSERT INTO ticket_fts (ticket_fts) VALUES ('optimize')")
    return report
