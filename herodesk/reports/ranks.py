"""Nearest-rank percentiles of a report without sorting the year (SPEC §10):
SQLite's way (3.40 has no ordered-set aggregates; PostgreSQL ranks in the
aggregates' pass, `reports.sql.aggregates`).

Each ticket stores each figure's value bucket (`domain.reports.bucket`). One
statement counts every (piece, bucket) by an index range count on
`ticket_report_frt`/`_frc`/`_res` (column groupings: one pass per bucket
counting every key); Python finds
the bucket and the rank inside it that each percentile falls on (`locate`);
one more statement reads only those buckets' values (a few dozen to a few
hundred each), which Python orders. The shared pieces (the cohort `Source`,
column names, `fetch`) are in `reports.sql`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from herodesk.domain.reports import rank
from herodesk.reports import sql


def bucket_counts(src: sql.Source, keys: Sequence[Any] = ()) -> list[dict[Any, dict[int, int]]]:
    """Per figure (in sql.FIGURES order), per key: how many values fall in each bucket.
    `keys`: a column grouping's keys (SQLite counts them per bucket)."""
    if src.column is not None:
        return _bucket_pivots(src, keys)
    parts: list[tuple[str, sql.Params]] = []
    spans = _bucket_spans(src.team_id)
    for m, (fig, span) in enumerate(zip(sql.FIGURES, spans, strict=True)):
        if span is not None:
            parts.append(_bucket_seeks(src, m, fig, span))
    out: list[dict[Any, dict[int, int]]] = [defaultdict(dict) for _ in sql.FIGURES]
    for m, k, j, n in sql.union(parts) if parts else []:
        out[m][k][j] = out[m][k].get(j, 0) + n
    return out


def _bucket_pivots(src: sql.Source, keys: Sequence[Any]) -> list[dict[Any, dict[int, int]]]:
    """SQLite, column groupings: per bucket one index range, its values counted
    per key in the same pass (a GROUP BY would sort the year's values)."""
    out: list[dict[Any, dict[int, int]]] = [defaultdict(dict) for _ in sql.FIGURES]
    if not keys:
        return out
    assert src.column is not None and src.start is not None and src.end is not None
    lo, lo_p = sql.ts(src.start)
    hi, hi_p = sql.ts(src.end)
    column, created = f"t.{sql.col(src.column)}", f"t.{sql.col('created_at')}"
    per_key = ", ".join(f"COUNT(*) FILTER (WHERE {column} = %s)" for _ in keys)
    parts: list[tuple[str, sql.Params]] = []
    spans = _bucket_spans(src.team_id)
    for m, (fig, span) in enumerate(zip(sql.FIGURES, spans, strict=True)):
        for j in range(span[0], span[1] + 1) if span else ():
            parts.append(
                (
                    f"SELECT {int(m)} AS m, {int(j)} AS j, {per_key} FROM {sql.T} t"  # noqa: S608
                    f" WHERE t.{sql.col('team')} = %s AND t.{sql.col('merged_into')} IS NULL"
                    f" AND t.{sql.col(fig.bucket)} = {int(j)}"
                    f" AND {created} >= {lo} AND {created} < {hi}",
                    [*keys, src.team_id, lo_p, hi_p],
                )
            )
    for m, j, *counts in sql.union(parts):
        for k, n in zip(keys, counts, strict=True):
            if n:
                out[m][k][j] = n
    return out


def _bucket_spans(team_id: int) -> list[tuple[int, int] | None]:
    """Each figure's lowest and highest bucket in the team (index ends)."""
    alive = f"{sql.col('team')} = %s AND {sql.col('merged_into')} IS NULL"
    cells = [
        f"(SELECT {agg}({sql.col(f.bucket)}) FROM {sql.T} WHERE {alive}"  # noqa: S608
        f" AND {sql.col(f.bucket)} IS NOT NULL)"
        for f in sql.FIGURES
        for agg in ("MIN", "MAX")
    ]
    [row] = sql.fetch(f"SELECT {', '.join(cells)}", [team_id] * len(cells))
    return [
        None if row[2 * m] is None else (int(row[2 * m]), int(row[2 * m + 1]))
        for m in range(len(sql.FIGURES))
    ]


def _bucket_seeks(
    src: sql.Source, m: int, fig: sql.Figure, span: tuple[int, int]
) -> tuple[str, sql.Params]:
    """One index range count per (piece, bucket): no row is read twice and
    nothing is sorted or hashed."""
    b = sql.col(fig.bucket)
    values, params = sql.values_list(src.pieces)
    buckets = ", ".join(f"({int(j)})" for j in range(span[0], span[1] + 1))
    created = f"t.{sql.col('created_at')}"
    statement = (
        f"WITH p(k, lo, hi) AS ({values}), b(j) AS (VALUES {buckets}),"  # noqa: S608
        f" c(k, j, n) AS MATERIALIZED (SELECT p.k, b.j,"
        f" (SELECT COUNT(*) FROM {sql.T} t WHERE t.{sql.col('team')} = %s"
        f" AND t.{sql.col('merged_into')} IS NULL AND t.{b} = b.j"
        f" AND {created} >= p.lo AND {created} < p.hi) FROM p, b)"
        f" SELECT {int(m)} AS m, k, j, n FROM c WHERE n > 0"
    )
    return statement, [*params, src.team_id]


def locate(counts: dict[int, int], percents: Sequence[int]) -> dict[int, tuple[int, int, int]]:
    """{p: (bucket, rank inside the bucket, n)} for each percentile of the values
    counted per bucket."""
    n = sum(counts.values())
    out: dict[int, tuple[int, int, int]] = {}
    if not n:
        return out
    for p in percents:
        r = rank(p, n)
        seen = 0
        for j in sorted(counts):
            if seen + counts[j] >= r:
                out[p] = (j, r - seen, n)
                break
            seen += counts[j]
    return out


def ranked_values(
    src: sql.Source, wanted: Sequence[dict[Any, dict[int, tuple[int, int, int]]]]
) -> list[dict[Any, dict[int, float]]]:
    """Per figure, {key: {p: value}}: the value at each wanted (bucket, rank inside it)."""
    targets = [
        (m, k, p, j, r)
        for m, by_key in enumerate(wanted)
        for k, by_p in by_key.items()
        for p, (j, r, _) in by_p.items()
    ]
    out: list[dict[Any, dict[int, float]]] = [defaultdict(dict) for _ in sql.FIGURES]
    if not targets:
        return out
    parts: list[tuple[str, sql.Params]] = []
    by_key: dict[Any, list[sql.Piece]] = defaultdict(list)
    for piece in src.pieces:
        by_key[piece[0]].append(piece)
    for m, fig in enumerate(sql.FIGURES):
        everyone = [(i, k, j, r) for i, (tm, k, _, j, r) in enumerate(targets) if tm == m]
        rows = [len(by_key[k]) if src.column is None else 1 for _, k, _, _ in everyone]
        for mine in _chunks(everyone, rows):
            parts.append(_ranked_part(src, fig, mine, by_key))
    # The values of each target's bucket, ordered here: SQLite's window
    # function (ROW_NUMBER() OVER (PARTITION BY target ORDER BY value)) cost
    # ten times the join that reads them (a year of 100k tickets by week: 31k
    # values for 318 targets, ~60 ms against ~6), and fetching them to sort
    # here costs a third less than the window in all.
    found: dict[int, list[float]] = defaultdict(list)
    for i, value in sql.union(parts):
        found[i].append(value)
    for i, values in found.items():
        m, k, p, _, r = targets[i]
        values.sort()
        out[m][k][p] = float(values[r - 1])
    return out


# SQLite (3.38+) joins a longer VALUES list (~165 rows at 100k tickets; fewer
# on a smaller table) to the tickets through a Bloom filter, which it builds
# by reading every ticket of the team and which makes it read table rows
# instead of the covering index: 3-4x the cost of the join. So a
# part's VALUES list holds at most this many rows (each part is its own join).
MAX_VALUES = 128

Target = tuple[int, Any, int, int]  # (i, key, bucket, rank inside it)


def _chunks(items: Sequence[Target], rows: Sequence[int]) -> list[list[Target]]:
    """`items` in runs whose VALUES rows (`rows`, per item) stay within
    MAX_VALUES (an item larger than that is a run of its own)."""
    out: list[list[Target]] = []
    n = MAX_VALUES
    for item, size in zip(items, rows, strict=True):
        if n + size > MAX_VALUES:
            out.append([])
            n = 0
        out[-1].append(item)
        n += size
    return out


def _ranked_part(
    src: sql.Source,
    fig: sql.Figure,
    mine: Sequence[Target],
    by_key: dict[Any, list[sql.Piece]],
) -> tuple[str, sql.Params]:
    """A SELECT of (i, value): every value in the bucket of each target of `mine`."""
    alive = f"t.{sql.col('team')} = %s AND t.{sql.col('merged_into')} IS NULL"
    created = f"t.{sql.col('created_at')}"
    v, b = f"t.{sql.col(fig.value)}", f"t.{sql.col(fig.bucket)}"
    if src.column is None:
        values, params = sql.values_list(
            [(i, j, lo, hi) for i, k, j, _ in mine for _, lo, hi in by_key[k]]
        )
        with_ = f"WITH q(i, j, lo, hi) AS ({values})"
        on = f"{b} = q.j AND {created} >= q.lo AND {created} < q.hi"
        params = [*params, src.team_id]
    else:
        assert src.start is not None and src.end is not None
        values, params = sql.values_list([(i, j, k) for i, k, j, _ in mine])
        lo, lo_p = sql.ts(src.start)
        hi, hi_p = sql.ts(src.end)
        with_ = f"WITH q(i, j, k) AS ({values})"
        key = f"t.{sql.col(src.column)}"
        on = f"{b} = q.j AND {key} = q.k AND {created} >= {lo} AND {created} < {hi}"
        params = [*params, src.team_id, lo_p, hi_p]
    return (f"{with_} SELECT q.i, {v} FROM q JOIN {sql.T} t ON {alive} AND {on}", params)  # noqa: S608


def percentiles(
    src: sql.Source, percents: Sequence[int], keys: Sequence[Any] = ()
) -> dict[str, dict[Any, dict[int, float]]]:
    """{figure name: {key: {p: value}}}, nearest ranks of every figure (`keys`:
    a column grouping's keys, from the aggregates)."""
    counts = bucket_counts(src, keys)
    wanted = [{k: locate(c, percents) for k, c in by_key.items()} for by_key in counts]
    values = ranked_values(src, wanted)
    return {fig.name: values[m] for m, fig in enumerate(sql.FIGURES)}
