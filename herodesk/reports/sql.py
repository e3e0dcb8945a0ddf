"""The report statements on SQLite and PostgreSQL.

How a year of 100k tickets stays fast: few passes over the year, and no
statement made per period.
- Groups: a time grouping (weeks, hero-weeks) is a list of pieces
  (group, lo, hi) of `created_at`, given to the database as one VALUES list
  (PostgreSQL joins it LATERAL in key order: an index range scan per piece;
  SQLite, whose GROUP BY over the join would sort, runs one index range per
  piece glued with UNION ALL); a column grouping (channel, tier) is a GROUP BY
  of the cohort.
- Aggregates (counts, grades, breaches, sums for means): one statement over
  the covering `ticket_report` index; on PostgreSQL the same pass gives the
  nearest-rank percentiles (ordered-set aggregates, see RANK_EPSILON). A
  time grouping's arrival counts go on to the backlog (`Counted`).
- SQLite's nearest ranks (`reports.ranks`: value buckets, no sort of the
  year) and the backlog (`reports.backlog`) build on the pieces here.
Column and table names come from the models; every value is a parameter or
an int the code made.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Field, Q

from herodesk.tickets.models import Reopening, Ticket
from herodesk.tickets.report_indexes import REPORT_AGGREGATED

Params = list[Any]
Piece = tuple[int, datetime, datetime]  # (group, lo, hi): arrivals in [lo, hi) belong to group
# Arrivals the aggregates counted: (how many, the disjoint [lo, hi) ranges they
# arrived in). The backlog takes them instead of counting the arrivals again.
Counted = tuple[int, tuple[tuple[datetime, datetime], ...]]


def col(name: str) -> str:
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


def ts(value: datetime) -> tuple[str, Any]:
    """A parameter slot for an instant, typed where the database needs it."""
    if connection.vendor == "postgresql":
        return "CAST(%s AS timestamp with time zone)", value
    return "%s", _sqlite_text(value)


@functools.lru_cache(maxsize=4096)
def _sqlite_text(value: datetime) -> Any:
    """An instant as SQLite stores it (Django's adaptation: UTC text). A report
    sends each piece's bounds to four or five statements (~1,400 adaptations
    for a year by week, ~10 ms), so each instant is adapted once."""
    return connection.ops.adapt_datetimefield_value(value)


def values_list(rows: Sequence[Sequence[Any]]) -> tuple[str, Params]:
    """A VALUES list: ints are spliced (made here), instants and text are parameters."""
    parts, params = [], []
    # The connection's attributes looked up once (a list can hold thousands of instants).
    pg = connection.vendor == "postgresql"
    adapt = connection.ops.adapt_datetimefield_value if pg else _sqlite_text
    stamp = "CAST(%s AS timestamp with time zone)" if pg else "%s"
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
        alive = f"t.{col('team')} = %s AND t.{col('merged_into')} IS NULL"
        extra = f" AND {where}" if where else ""
        created = f"t.{col('created_at')}"
        if self.column is None:
            values, params = values_list(self.pieces)
            with_ = f"WITH p(k, lo, hi) AS ({values})"
            on = f"{alive} AND {created} >= p.lo AND {created} < p.hi{extra}"
            if connection.vendor == "postgresql":
                # LATERAL (with OFFSET 0, so it is not flattened into a hash
                # join over the whole table): an index range scan per piece,
                # the pieces in key order, so a GROUP BY k needs no sort.
                cols = ", ".join(f"t.{col(c)}" for c in columns) or "1"
                return (
                    with_,
                    params,
                    "FROM (SELECT k, lo, hi FROM p ORDER BY k) AS p"  # noqa: S608
                    f" CROSS JOIN LATERAL (SELECT {cols} FROM {T} t"
                    f" WHERE {on} OFFSET 0) AS t",
                    [self.team_id],
                )
            return with_, params, f"FROM p JOIN {T} t ON {on}", [self.team_id]
        assert self.start is not None and self.end is not None
        lo, lo_p = ts(self.start)
        hi, hi_p = ts(self.end)
        return (
            "",
            [],
            f"FROM {T} t WHERE {alive} AND {created} >= {lo} AND {created} < {hi}{extra}",
            [self.team_id, lo_p, hi_p],
        )

    @property
    def key(self) -> str:
        return "p.k" if self.column is None else f"t.{col(self.column)}"


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


AGGREGATED = REPORT_AGGREGATED  # what the channel/tier indexes hold (tickets.report_indexes)


# PostgreSQL computes nearest ranks in the aggregates' own pass: one ordered-set
# aggregate per figure sorts each group's values (a year of 100k tickets: a few
# milliseconds of in-memory sorts), where the value buckets of `reports.ranks`
# take two more passes over the year (counts, then the ranked values).
# `percentile_disc(f)` is the value at row ceil(f * n), computed in float8: for
# f = p / 100, 0.07 * 100 comes out as 7.000000000000001 and would rank 8th. So
# f is lowered by RANK_EPSILON: p * n / 100 is a whole number or at least 0.01
# above one, and n * 1e-12 stays far below 0.01 (n < 1e9), so the ceiling is
# the exact nearest rank, max(1, ceil(p * n / 100)) (`domain.reports.rank`).
RANK_EPSILON = 1e-12


def ordered_set_percentiles() -> bool:
    """Whether `aggregates` can give the nearest ranks (PostgreSQL)."""
    return connection.vendor == "postgresql"


def fractions(percents: Sequence[int]) -> list[float]:
    """percentile_disc's fractions for nearest ranks `percents` (see RANK_EPSILON)."""
    return [max(0.0, p / 100 - RANK_EPSILON) for p in percents]


def aggregates(
    src: Source, now: datetime, percents: Sequence[int] = (), counted: list[Counted] | None = None
) -> dict[Any, dict[str, Any]]:
    """Per key: the counts and sums of the row (see AGGREGATES). With `percents`
    (PostgreSQL only, `ordered_set_percentiles`), also "pct": {figure name:
    {p: nearest-rank value}} for each figure of FIGURES. A time grouping's
    arrivals go into `counted` when given: per piece on SQLite, per key (its
    pieces) on PostgreSQL."""
    if percents and not ordered_set_percentiles():
        raise ValueError("nearest ranks in the aggregates need PostgreSQL")
    now_slot, now_p = ts(now)

    def count(cond: str) -> str:
        return f"COUNT(*) FILTER (WHERE {cond})"

    grade = f"t.{col('first_response_grade')}"
    solved = f"t.{col('solved_at')} IS NOT NULL"
    late = (
        f"t.{col('breached')} OR (t.{col('late_after')} <= {now_slot}"
        f" AND t.{col('sla_paused_at')} IS NULL)"
    )
    resolution = f"t.{col('resolution_minutes')}"
    columns = [
        "COUNT(*)",
        f"COUNT(t.{col('first_response_minutes')})",
        *(count(f"{grade} = '{g}'") for g in ("great", "okay", "slow", "too_late")),
        count(late),
        count(solved),
        f"SUM({resolution}) FILTER (WHERE {solved})",
        f"COUNT({resolution}) FILTER (WHERE {solved})",
        f"SUM(t.{col('next_replies')})",
        f"SUM(t.{col('next_reply_minutes')})",
        f"SUM(t.{col('next_reply_calendar_minutes')})",
    ]
    if connection.vendor == "sqlite" and src.column is None:
        # SQLite sorts a GROUP BY over the join: one aggregate per piece
        # (an index range each), added up per key here.
        alive = f"t.{col('team')} = %s AND t.{col('merged_into')} IS NULL"
        created = f"t.{col('created_at')}"
        parts = []
        for i, (_, lo, hi) in enumerate(src.pieces):
            lo_slot, lo_p = ts(lo)
            hi_slot, hi_p = ts(hi)
            parts.append(
                (
                    f"SELECT {int(i)} AS i, {', '.join(columns)} FROM {T} t"  # noqa: S608
                    f" WHERE {alive} AND {created} >= {lo_slot} AND {created} < {hi_slot}",
                    [now_p, src.team_id, lo_p, hi_p],
                )
            )
        out: dict[Any, dict[str, Any]] = {}
        for row in union(parts):
            k, lo, hi = src.pieces[row[0]]
            if counted is not None:
                counted.append((int(row[1]), ((lo, hi),)))
            if not row[1]:
                continue
            mine = dict(zip(AGGREGATES, row[1:], strict=True))
            if k in out:
                mine = {name: _add(out[k][name], mine[name]) for name in AGGREGATES}
            out[k] = mine
        return out
    if connection.vendor == "sqlite":
        # A column grouping on SQLite: an index range of ticket_report_<column>
        # per value of the column (its values found by a skip scan), walked in
        # the GROUP BY's order; over ticket_report it sorted the range's rows.
        assert src.column is not None
        keys, keys_p = _distinct(src.team_id, src.column)
        with_, with_p, from_, from_p = src.sql(f"{src.key} IN ({keys})", AGGREGATED)
        from_p = [*from_p, *keys_p]
    else:  # PostgreSQL: ticket_report's range, by key (hashed when not ranking)
        read = list(AGGREGATED)
        pct_p: Params = []
        hashed = bool(percents) and src.column is not None and not _in_order(src.column)
        if percents:
            for fig in FIGURES:
                read += [c for c in (fig.value, fig.bucket) if c not in read]
                v, b = f"t.{col(fig.value)}", f"t.{col(fig.bucket)}"
                if hashed:
                    columns.append(f"array_agg({v}) FILTER (WHERE {b} IS NOT NULL)")
                else:
                    columns.append(
                        "percentile_disc(CAST(%s AS double precision[])) WITHIN GROUP"
                        f" (ORDER BY {v}) FILTER (WHERE {b} IS NOT NULL)"
                    )
                pct_p.append(fractions(percents))
        with_, with_p, from_, from_p = src.sql(columns=read)
        sql = f"{with_} SELECT {src.key}, {', '.join(columns)} {from_} GROUP BY {src.key}"
        if hashed:
            # A column grouping without an index in its order (`_in_order`):
            # ordered-set aggregates need their groups in order, and sorting
            # the year's rows by the column (100k wide rows, spilled to disk
            # past work_mem) cost more than the ranking; so the pass is hashed,
            # gathers each group's values, and ranks them per group (the
            # sorts percentile_disc makes inside a group). Tier by a year of
            # 100k tickets: ~270 ms of CPU instead of ~320 on the bench VM.
            names = [f"c{i}" for i in range(len(AGGREGATES))]
            per_group = ", ".join(
                "(SELECT percentile_disc(CAST(%s AS double precision[])) WITHIN GROUP"  # noqa: S608
                f" (ORDER BY x) FROM unnest(a{m}) AS x)"
                for m in range(len(FIGURES))
            )
            arrays = ", ".join(f"a{m}" for m in range(len(FIGURES)))
            sql = (
                f"SELECT k, {', '.join(names)}, {per_group}"  # noqa: S608
                f" FROM ({sql}) AS g(k, {', '.join(names)}, {arrays})"
            )
            rows = fetch(sql, [*pct_p, *with_p, now_p, *from_p])
        else:
            rows = fetch(sql, [*with_p, now_p, *pct_p, *from_p])
        out = {}
        for row in rows:
            mine = dict(zip(AGGREGATES, row[1 : 1 + len(AGGREGATES)], strict=True))
            if percents:
                ranked = row[1 + len(AGGREGATES) :]
                mine["pct"] = {
                    fig.name: {p: float(v) for p, v in zip(percents, values or (), strict=False)}
                    for fig, values in zip(FIGURES, ranked, strict=True)
                }
            out[row[0]] = mine
        if counted is not None and src.column is None:
            spans: dict[Any, list[tuple[datetime, datetime]]] = {}
            for k, lo, hi in src.pieces:
                spans.setdefault(k, []).append((lo, hi))
            # A key without a row had no arrivals in its pieces.
            counted.extend(
                (int(out[k]["created"]) if k in out else 0, tuple(r)) for k, r in spans.items()
            )
        return out
    sql = f"{with_} SELECT {src.key}, {', '.join(columns)} {from_} GROUP BY {src.key}"
    rows = fetch(sql, [*with_p, now_p, *from_p])
    return {row[0]: dict(zip(AGGREGATES, row[1:], strict=True)) for row in rows}


def _in_order(column: str) -> bool:
    """Whether an index led by (team, column) hands PostgreSQL a team's rows in
    the column's order (`ticket_team_channel`): the ordered-set aggregates
    then group them as they come, which beat hashing them (channel by a year
    of 100k tickets: ~235 ms of CPU against ~280 hashed)."""
    every_alive = (None, Q(merged_into__isnull=True))  # partial indexes must hold every row read
    return any(
        list(index.fields[:2]) == ["team", column] and index.condition in every_alive
        for index in Ticket._meta.indexes
    )


def _distinct(team_id: int, column: str) -> tuple[str, Params]:
    """A SELECT of the team's values of `column`, one index seek each (a
    recursive skip scan of an index led by (team, column))."""
    c = col(column)
    alive = f"{col('team')} = %s AND {col('merged_into')} IS NULL"
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
