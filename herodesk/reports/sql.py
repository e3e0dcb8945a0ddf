"""The report statements, the same shape on SQLite and PostgreSQL.

How a year of 100k tickets stays fast: no statement sorts or hashes the
year's values, and no statement is made per period.
- Groups: a time grouping (weeks, hero-weeks) is a list of pieces
  (group, lo, hi) of `created_at`, given to the database as one VALUES list
  (PostgreSQL joins it LATERAL: an index range scan per piece; SQLite, whose
  GROUP BY over the join would sort, runs one index range per piece glued with
  UNION ALL); a column grouping (channel, tier) is a GROUP BY of the cohort.
- Aggregates (counts, grades, breaches, sums for means): one statement over
  the covering `ticket_report` index.
- Nearest-rank percentiles: each ticket stores each figure's value bucket
  (`domain.reports.bucket`). One statement counts every (piece, bucket) by an
  index range count (column groupings: a hashed GROUP BY on PostgreSQL, one
  pass per bucket counting every key on SQLite); Python finds the bucket and
  the rank inside it that each percentile falls on; one more statement orders
  only those buckets' values (`ROW_NUMBER()` over a few dozen rows each).
- The backlog: per interval between the instants, arrivals less resolutions
  (two index range counts), less the solves a reopening undid, plus the
  reopenings (`Reopening` rows, few); a running sum gives each instant.
Column and table names come from the models; every value is a parameter or
an int the code made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import Field

from herodesk.domain.reports import rank
from herodesk.tickets.models import REPORT_AGGREGATED, Reopening, Ticket

Params = list[Any]
Piece = tuple[int, datetime, datetime]  # (group, lo, hi): arrivals in [lo, hi) belong to group


def _col(name: str) -> str:
    field = Ticket._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise ValueError(f"{name} is not a ticket column")
    return connection.ops.quote_name(field.column)


T = Ticket._meta.db_table
R = Reopening._meta.db_table


@dataclass(frozen=True)
class Figure:
    """A figure ranked by nearest rank: its value column and bucket column."""

    name: str
    value: str
    bucket: str


FIGURES = (
    Figure("frt", "first_response_minutes", "first_response_bucket"),
    Figure("cal", "first_response_calendar_minutes", "first_response_calendar_bucket"),
    Figure("res", "resolution_minutes", "resolution_bucket"),
)


def _ts(value: datetime) -> tuple[str, Any]:
    """A parameter slot for an instant, typed where the database needs it."""
    adapted = connection.ops.adapt_datetimefield_value(value)
    if connection.vendor == "postgresql":
        return "CAST(%s AS timestamp with time zone)", adapted
    return "%s", adapted


def _values(rows: Sequence[Sequence[Any]]) -> tuple[str, Params]:
    """A VALUES list: ints are spliced (made here), instants and text are parameters."""
    parts, params = [], []
    # The connection's attributes looked up once (a list can hold thousands of instants).
    adapt = connection.ops.adapt_datetimefield_value
    stamp = "CAST(%s AS timestamp with time zone)" if connection.vendor == "postgresql" else "%s"
    for row in rows:
        cells = []
        for v in row:
            if isinstance(v, bool) or not isinstance(v, (int, datetime, str)):
                raise TypeError(f"unexpected VALUES cell {v!r}")
            if isinstance(v, int):
                cells.append(str(int(v)))
            elif isinstance(v, datetime):
                cells.append(stamp)
                params.append(adapt(v))
            else:
                cells.append("CAST(%s AS varchar(64))")
                params.append(v)
        parts.append(f"({', '.join(cells)})")
    return "VALUES " + ", ".join(parts), params


@dataclass(frozen=True)
class Source:
    """The cohort's tickets as `t`, each with its group key as `k`.

    Either `pieces` (time groups: VALUES joined by range) or `column` (a
    GROUP BY column) over [start, end)."""

    team_id: int
    pieces: Sequence[Piece] = ()
    column: str | None = None
    start: datetime | None = None
    end: datetime | None = None

    def sql(self, where: str = "", columns: Sequence[str] = ()) -> tuple[str, Params, str, Params]:
        """(WITH clause, its params, FROM … WHERE …, its params); `key` is the
        group. `columns`: the ticket fields the caller reads as t.<column>."""
        alive = f"t.{_col('team')} = %s AND t.{_col('merged_into')} IS NULL"
        extra = f" AND {where}" if where else ""
        created = f"t.{_col('created_at')}"
        if self.column is None:
            values, params = _values(self.pieces)
            with_ = f"WITH p(k, lo, hi) AS ({values})"
            on = f"{alive} AND {created} >= p.lo AND {created} < p.hi{extra}"
            if connection.vendor == "postgresql":
                # LATERAL (with OFFSET 0, so it is not flattened into a hash
                # join over the whole table): an index range scan per piece.
                cols = ", ".join(f"t.{_col(c)}" for c in columns) or "1"
                return (
                    with_,
                    params,
                    f"FROM p CROSS JOIN LATERAL (SELECT {cols} FROM {T} t"  # noqa: S608
                    f" WHERE {on} OFFSET 0) AS t",
                    [self.team_id],
                )
            return with_, params, f"FROM p JOIN {T} t ON {on}", [self.team_id]
        assert self.start is not None and self.end is not None
        lo, lo_p = _ts(self.start)
        hi, hi_p = _ts(self.end)
        return (
            "",
            [],
            f"FROM {T} t WHERE {alive} AND {created} >= {lo} AND {created} < {hi}{extra}",
            [self.team_id, lo_p, hi_p],
        )

    @property
    def key(self) -> str:
        return "p.k" if self.column is None else f"t.{_col(self.column)}"


def fetch(sql: str, params: Params) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# ----- aggregates ---------------------------------------------------------------

AGGREGATES = (
    "created",
    "first_responses",
    "great",
    "okay",
    "slow",
    "too_late",
    "breaches",
    "solved",
    "res_sum",
    "res_count",
    "next_replies",
    "next_reply_minutes",
    "next_reply_calendar_minutes",
)


AGGREGATED = REPORT_AGGREGATED  # what the channel/tier indexes hold (tickets.models)


def aggregates(src: Source, now: datetime) -> dict[Any, dict[str, Any]]:
    """Per key: the counts and sums of the row (see AGGREGATES)."""
    now_slot, now_p = _ts(now)

    def count(cond: str) -> str:
        return f"COUNT(*) FILTER (WHERE {cond})"

    grade = f"t.{_col('first_response_grade')}"
    solved = f"t.{_col('solved_at')} IS NOT NULL"
    late = (
        f"t.{_col('breached')} OR (t.{_col('late_after')} <= {now_slot}"
        f" AND t.{_col('sla_paused_at')} IS NULL)"
    )
    resolution = f"t.{_col('resolution_minutes')}"
    columns = [
        "COUNT(*)",
        f"COUNT(t.{_col('first_response_minutes')})",
        *(count(f"{grade} = '{g}'") for g in ("great", "okay", "slow", "too_late")),
        count(late),
        count(solved),
        f"SUM({resolution}) FILTER (WHERE {solved})",
        f"COUNT({resolution}) FILTER (WHERE {solved})",
        f"SUM(t.{_col('next_replies')})",
        f"SUM(t.{_col('next_reply_minutes')})",
        f"SUM(t.{_col('next_reply_calendar_minutes')})",
    ]
    if connection.vendor == "sqlite" and src.column is None:
        # SQLite sorts a GROUP BY over the join: one aggregate per piece
        # (an index range each), added up per key here.
        alive = f"t.{_col('team')} = %s AND t.{_col('merged_into')} IS NULL"
        created = f"t.{_col('created_at')}"
        parts = []
        for k, lo, hi in src.pieces:
            lo_slot, lo_p = _ts(lo)
            hi_slot, hi_p = _ts(hi)
            parts.append(
                (
                    f"SELECT {int(k)} AS k, {', '.join(columns)} FROM {T} t"  # noqa: S608
                    f" WHERE {alive} AND {created} >= {lo_slot} AND {created} < {hi_slot}",
                    [now_p, src.team_id, lo_p, hi_p],
                )
            )
        out: dict[Any, dict[str, Any]] = {}
        for row in union(parts):
            if not row[1]:
                continue
            mine = dict(zip(AGGREGATES, row[1:], strict=True))
            if row[0] in out:
                mine = {name: _add(out[row[0]][name], mine[name]) for name in AGGREGATES}
            out[row[0]] = mine
        return out
    if connection.vendor == "sqlite":
        # A column grouping on SQLite: an index range of ticket_report_<column>
        # per value of the column (its values found by a skip scan), walked in
        # the GROUP BY's order; over ticket_report it sorted the range's rows.
        assert src.column is not None
        keys, keys_p = _distinct(src.team_id, src.column)
        with_, with_p, from_, from_p = src.sql(f"{src.key} IN ({keys})", AGGREGATED)
        from_p = [*from_p, *keys_p]
    else:  # PostgreSQL hashes the groups (few) over ticket_report
        with_, with_p, from_, from_p = src.sql(columns=AGGREGATED)
    sql = f"{with_} SELECT {src.key}, {', '.join(columns)} {from_} GROUP BY {src.key}"
    rows = fetch(sql, [*with_p, now_p, *from_p])
    return {row[0]: dict(zip(AGGREGATES, row[1:], strict=True)) for row in rows}


def _distinct(team_id: int, column: str) -> tuple[str, Params]:
    """A SELECT of the team's values of `column`, one index seek each (a
    recursive skip scan of an index led by (team, column))."""
    c = _col(column)
    alive = f"{_col('team')} = %s AND {_col('merged_into')} IS NULL"
    sql = (
        f"WITH RECURSIVE v(x) AS (SELECT MIN({c}) FROM {T} WHERE {alive}"  # noqa: S608
        f" UNION ALL SELECT (SELECT MIN({c}) FROM {T} WHERE {alive} AND {c} > v.x)"
        " FROM v WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL"
    )
    return sql, [team_id, team_id]


def _add(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return b if a is None else a
    return a + b


# ----- nearest ranks ----------------------------------------------------------


def bucket_counts(src: Source, keys: Sequence[Any] = ()) -> list[dict[Any, dict[int, int]]]:
    """Per figure (in FIGURES order), per key: how many values fall in each bucket.
    `keys`: a column grouping's keys (SQLite counts them per bucket)."""
    if src.column is not None:
        if connection.vendor == "sqlite":
            return _bucket_pivots(src, keys)
        return _bucket_combinations(src)
    parts: list[tuple[str, Params]] = []
    spans = _bucket_spans(src.team_id)
    for m, (fig, span) in enumerate(zip(FIGURES, spans, strict=True)):
        if span is not None:
            parts.append(_bucket_seeks(src, m, fig, span))
    out: list[dict[Any, dict[int, int]]] = [defaultdict(dict) for _ in FIGURES]
    for m, k, j, n in union(parts) if parts else []:
        out[m][k][j] = out[m][k].get(j, 0) + n
    return out


def _bucket_combinations(src: Source) -> list[dict[Any, dict[int, int]]]:
    """PostgreSQL, column groupings: one pass over the range counting each
    (key, bucket of every figure) combination (a few thousand), added up per
    figure here; a GROUP BY per figure read the range three times, each in a
    parallel plan that costs more than it saves on a busy machine."""
    buckets = [f"t.{_col(fig.bucket)}" for fig in FIGURES]
    with_, with_p, from_, from_p = src.sql(columns=[f.bucket for f in FIGURES])
    sql = (
        f"{with_} SELECT {src.key}, {', '.join(buckets)}, COUNT(*)"
        f" {from_} GROUP BY {src.key}, {', '.join(buckets)}"
    )
    out: list[dict[Any, dict[int, int]]] = [defaultdict(dict) for _ in FIGURES]
    for k, *js, n in fetch(sql, [*with_p, *from_p]):
        for m, j in enumerate(js):
            if j is not None:
                per = out[m][k]
                per[j] = per.get(j, 0) + n
    return out


def _bucket_pivots(src: Source, keys: Sequence[Any]) -> list[dict[Any, dict[int, int]]]:
    """SQLite, column groupings: per bucket one index range, its values counted
    per key in the same pass (a GROUP BY would sort the year's values)."""
    out: list[dict[Any, dict[int, int]]] = [defaultdict(dict) for _ in FIGURES]
    if not keys:
        return out
    assert src.column is not None and src.start is not None and src.end is not None
    lo, lo_p = _ts(src.start)
    hi, hi_p = _ts(src.end)
    column, created = f"t.{_col(src.column)}", f"t.{_col('created_at')}"
    per_key = ", ".join(f"COUNT(*) FILTER (WHERE {column} = %s)" for _ in keys)
    parts: list[tuple[str, Params]] = []
    spans = _bucket_spans(src.team_id)
    for m, (fig, span) in enumerate(zip(FIGURES, spans, strict=True)):
        for j in range(span[0], span[1] + 1) if span else ():
            parts.append(
                (
                    f"SELECT {int(m)} AS m, {int(j)} AS j, {per_key} FROM {T} t"  # noqa: S608
                    f" WHERE t.{_col('team')} = %s AND t.{_col('merged_into')} IS NULL"
                    f" AND t.{_col(fig.bucket)} = {int(j)}"
                    f" AND {created} >= {lo} AND {created} < {hi}",
                    [*keys, src.team_id, lo_p, hi_p],
                )
            )
    for m, j, *counts in union(parts):
        for k, n in zip(keys, counts, strict=True):
            if n:
                out[m][k][j] = n
    return out


def _bucket_spans(team_id: int) -> list[tuple[int, int] | None]:
    """Each figure's lowest and highest bucket in the team (index ends)."""
    alive = f"{_col('team')} = %s AND {_col('merged_into')} IS NULL"
    cells = [
        f"(SELECT {agg}({_col(f.bucket)}) FROM {T} WHERE {alive}"  # noqa: S608
        f" AND {_col(f.bucket)} IS NOT NULL)"
        for f in FIGURES
        for agg in ("MIN", "MAX")
    ]
    [row] = fetch(f"SELECT {', '.join(cells)}", [team_id] * len(cells))
    return [
        None if row[2 * m] is None else (int(row[2 * m]), int(row[2 * m + 1]))
        for m in range(len(FIGURES))
    ]


def _bucket_seeks(src: Source, m: int, fig: Figure, span: tuple[int, int]) -> tuple[str, Params]:
    """One index range count per (piece, bucket): no row is read twice and
    nothing is sorted or hashed."""
    b = _col(fig.bucket)
    values, params = _values(src.pieces)
    buckets = ", ".join(f"({int(j)})" for j in range(span[0], span[1] + 1))
    created = f"t.{_col('created_at')}"
    sql = (
        f"WITH p(k, lo, hi) AS ({values}), b(j) AS (VALUES {buckets}),"  # noqa: S608
        f" c(k, j, n) AS MATERIALIZED (SELECT p.k, b.j,"
        f" (SELECT COUNT(*) FROM {T} t WHERE t.{_col('team')} = %s"
        f" AND t.{_col('merged_into')} IS NULL AND t.{b} = b.j"
        f" AND {created} >= p.lo AND {created} < p.hi) FROM p, b)"
        f" SELECT {int(m)} AS m, k, j, n FROM c WHERE n > 0"
    )
    return sql, [*params, src.team_id]


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
    src: Source, wanted: Sequence[dict[Any, dict[int, tuple[int, int, int]]]]
) -> list[dict[Any, dict[int, float]]]:
    """Per figure, {key: {p: value}}: the value at each wanted (bucket, rank inside it)."""
    targets = [
        (m, k, p, j, r)
        for m, by_key in enumerate(wanted)
        for k, by_p in by_key.items()
        for p, (j, r, _) in by_p.items()
    ]
    out: list[dict[Any, dict[int, float]]] = [defaultdict(dict) for _ in FIGURES]
    if not targets:
        return out
    parts: list[tuple[str, Params]] = []
    by_key: dict[Any, list[Piece]] = defaultdict(list)
    for piece in src.pieces:
        by_key[piece[0]].append(piece)
    for m, fig in enumerate(FIGURES):
        everyone = [(i, k, j, r) for i, (tm, k, _, j, r) in enumerate(targets) if tm == m]
        rows = [len(by_key[k]) if src.column is None else 1 for _, k, _, _ in everyone]
        for mine in _chunks(everyone, rows):
            parts.append(_ranked_part(src, fig, mine, by_key))
    for i, value in union(parts):
        m, k, p, _, _ = targets[i]
        out[m][k][p] = float(value)
    return out


# SQLite (3.38+) joins a longer VALUES list (~165 rows at 100k tickets; fewer
# on a smaller table) to the tickets through a Bloom filter, which it builds
# by reading every ticket of the team and which makes it read table rows
# instead of the covering index: 3-4x the cost of the join. So on SQLite a
# part's VALUES list holds at most this many rows (each part is its own join).
MAX_VALUES = 128

Target = tuple[int, Any, int, int]  # (i, key, bucket, rank inside it)


def _chunks(items: Sequence[Target], rows: Sequence[int]) -> list[list[Target]]:
    """`items` in runs whose VALUES rows (`rows`, per item) stay within
    MAX_VALUES on SQLite (an item larger than that is a run of its own)."""
    if connection.vendor != "sqlite":
        return [list(items)] if items else []
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
    src: Source,
    fig: Figure,
    mine: Sequence[Target],
    by_key: dict[Any, list[Piece]],
) -> tuple[str, Params]:
    """A SELECT of (i, value) for the targets `mine`."""
    alive = f"t.{_col('team')} = %s AND t.{_col('merged_into')} IS NULL"
    created = f"t.{_col('created_at')}"
    v, b = f"t.{_col(fig.value)}", f"t.{_col(fig.bucket)}"
    if src.column is None:
        values, params = _values(
            [(i, j, r, lo, hi) for i, k, j, r in mine for _, lo, hi in by_key[k]]
        )
        with_ = f"WITH q(i, j, r, lo, hi) AS ({values})"
        on = f"{b} = q.j AND {created} >= q.lo AND {created} < q.hi"
        params = [*params, src.team_id]
        if connection.vendor == "postgresql":  # an index range per (piece, bucket)
            return (
                f"{with_} SELECT i, v FROM (SELECT q.i AS i, q.r AS r, x.v AS v,"  # noqa: S608
                " ROW_NUMBER() OVER (PARTITION BY q.i ORDER BY x.v) AS rn"
                f" FROM q CROSS JOIN LATERAL (SELECT {v} AS v FROM {T} t"
                f" WHERE {alive} AND {on} OFFSET 0) AS x) AS y WHERE rn = r",
                params,
            )
    else:
        assert src.start is not None and src.end is not None
        values, params = _values([(i, j, r, k) for i, k, j, r in mine])
        lo, lo_p = _ts(src.start)
        hi, hi_p = _ts(src.end)
        with_ = f"WITH q(i, j, r, k) AS ({values})"
        on = f"{b} = q.j AND t.{_col(src.column)} = q.k AND {created} >= {lo} AND {created} < {hi}"
        params = [*params, src.team_id, lo_p, hi_p]
    return (
        f"{with_} SELECT i, v FROM (SELECT q.i AS i, q.r AS r, {v} AS v,"  # noqa: S608
        f" ROW_NUMBER() OVER (PARTITION BY q.i ORDER BY {v}) AS rn"
        f" FROM q JOIN {T} t ON {alive} AND {on}) AS x WHERE rn = r",
        params,
    )


def percentiles(
    src: Source, percents: Sequence[int], keys: Sequence[Any] = ()
) -> dict[str, dict[Any, dict[int, float]]]:
    """{figure name: {key: {p: value}}}, nearest ranks of every figure (`keys`:
    a column grouping's keys, from the aggregates)."""
    counts = bucket_counts(src, keys)
    wanted = [{k: locate(c, percents) for k, c in by_key.items()} for by_key in counts]
    values = ranked_values(src, wanted)
    return {fig.name: values[m] for m, fig in enumerate(FIGURES)}


# ----- backlog -------------------------------------------------------------------


def upto_case(expr: str, instants: Sequence[datetime]) -> tuple[str, Params]:
    """A CASE giving j for instants[j-1] < expr <= instants[j] (0 at or below
    instants[0]); the caller keeps expr <= instants[-1]. A binary tree of WHENs."""

    def node(lo: int, hi: int) -> tuple[str, Params]:
        if hi - lo == 1:
            return str(int(lo)), []
        mid = (lo + hi) // 2
        slot, p = _ts(instants[mid - 1])
        left, lp = node(lo, mid)
        right, rp = node(mid, hi)
        return f"CASE WHEN {expr} <= {slot} THEN {left} ELSE {right} END", [p, *lp, *rp]

    return node(0, len(instants))


def backlog_steps(
    team_id: int, instants: Sequence[datetime], by: str | None
) -> list[tuple[int, Any, int]]:
    """(j, group value, change) rows: arrivals (+1), resolutions (−1) and
    earlier solves undone by a reopening (−1 at the solve, +1 at the
    reopening), counted per interval (instants[j-1], instants[j]]."""
    last, last_p = _ts(instants[-1])
    alive = f"t.{_col('team')} = %s AND t.{_col('merged_into')} IS NULL"
    group = f"t.{_col(by)}" if by else "0"
    parts: list[tuple[str, Params]] = []
    resolved = f"COALESCE(t.{_col('solved_at')}, t.{_col('closed_at')})"
    for sign, expr in ((1, f"t.{_col('created_at')}"), (-1, resolved)):
        case, case_p = upto_case(expr, instants)
        sql = (
            f"SELECT {case} AS j, {group} AS g, {int(sign)} * COUNT(*) AS n"  # noqa: S608
            f" FROM {T} t WHERE {alive} AND {expr} <= {last} GROUP BY 1, 2"
        )
        parts.append((sql, [*case_p, team_id, last_p]))
    # Reopenings: each looks its ticket up by key, once (PostgreSQL would
    # otherwise hash-join them to a scan of every ticket), and only those
    # reopened after the first instant: a solve and its reopening both at or
    # before it add up to nothing, so the work follows the range, not the history.
    if connection.vendor == "postgresql":
        ticket = (
            f"CROSS JOIN LATERAL (SELECT {group} AS g FROM {T} t"  # noqa: S608
            f" WHERE t.{_col('id')} = r.ticket_id AND {alive} OFFSET 0) AS t"
        )
        group_r = "t.g"
    else:
        ticket = f"JOIN {T} t ON t.{_col('id')} = r.ticket_id AND {alive}"
        group_r = group
    first, first_p = _ts(instants[0])
    solve_case, solve_p = upto_case("rr.resolved_at", instants)
    reopen_case, reopen_p = upto_case("rr.reopened_at", instants)
    reopenings = (
        "WITH rr(resolved_at, reopened_at, g) AS MATERIALIZED"  # noqa: S608
        f" (SELECT r.resolved_at, r.reopened_at, {group_r} FROM {R} r {ticket}"
        f" WHERE r.reopened_at > {first} AND r.resolved_at <= {last})"
        f" SELECT {solve_case} AS j, g, -COUNT(*) AS n FROM rr GROUP BY 1, 2"
        f" UNION ALL SELECT {reopen_case} AS j, g, COUNT(*) AS n FROM rr"
        f" WHERE rr.reopened_at <= {last} GROUP BY 1, 2"
    )
    parts.append((reopenings, [team_id, first_p, last_p, *solve_p, *reopen_p, last_p]))
    if len(instants) == 1:
        # One moment (a column grouping): the items open then, counted by group:
        # the unresolved ones and those resolved after it, two index ranges
        # of ticket_report_resolved (no row of the tickets resolved before).
        t, t_p = _ts(instants[0])
        created = f"t.{_col('created_at')}"
        open_then = (
            f"SELECT 0 AS j, g, COUNT(*) AS n FROM ("  # noqa: S608
            f"SELECT {group} AS g FROM {T} t WHERE {alive} AND {resolved} IS NULL"
            f" AND {created} <= {t} UNION ALL SELECT {group} AS g FROM {T} t"
            f" WHERE {alive} AND {resolved} > {t} AND {created} <= {t}) AS o GROUP BY g"
        )
        return union([(open_then, [team_id, t_p, team_id, t_p, t_p]), *parts[2:]])
    if by is None:
        # Arrivals and resolutions: two index range counts per interval, in
        # one statement (a CASE over every row would cost more than the counts).
        return union([_interval_counts(team_id, instants), *parts[2:]])
    return union(parts)


FLOOR = datetime(1900, 1, 1, tzinfo=UTC)  # below every instant a desk records


def _interval_counts(team_id: int, instants: Sequence[datetime]) -> tuple[str, Params]:
    values, params = _values(
        [(j, instants[j - 1] if j else FLOOR, t) for j, t in enumerate(instants)]
    )
    alive = f"t.{_col('team')} = %s AND t.{_col('merged_into')} IS NULL"
    resolved = f"COALESCE(t.{_col('solved_at')}, t.{_col('closed_at')})"
    created = f"t.{_col('created_at')}"

    def count(expr: str) -> str:
        return f"(SELECT COUNT(*) FROM {T} t WHERE {alive} AND {expr} > i.lo AND {expr} <= i.hi)"  # noqa: S608

    sql = (
        f"WITH i(j, lo, hi) AS ({values})"  # noqa: S608
        f" SELECT j, 0 AS g, {count(created)} - {count(resolved)} AS n FROM i"
    )
    return sql, [*params, team_id, team_id]


def union(parts: Sequence[tuple[str, Params]], step: int = 400) -> list[tuple[Any, ...]]:
    """Rows of SELECTs glued with UNION ALL (SQLite takes 500 in one statement)."""
    rows: list[tuple[Any, ...]] = []
    for i in range(0, len(parts), step):
        chunk = parts[i : i + step]
        sql = " UNION ALL ".join(
            f"SELECT * FROM ({s}) AS u{n}"  # noqa: S608 - statements built in this module
            for n, (s, _) in enumerate(chunk)
        )
        rows.extend(fetch(sql, [p for _, ps in chunk for p in ps]))
    return rows


def running(
    steps: Iterable[tuple[int, Any, int]], size: int, by: str | None
) -> list[dict[Any, int]]:
    """Running sums of the step rows: open items per group at each instant."""
    delta: list[dict[Any, int]] = [defaultdict(int) for _ in range(size)]
    for j, g, n in steps:
        delta[j][g if by else None] += n
    out: list[dict[Any, int]] = []
    total: dict[Any, int] = defaultdict(int)
    for step in delta:
        for g, n in step.items():
            total[g] += n
        out.append(dict(total))
    return out
