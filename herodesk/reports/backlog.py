"""The backlog of a report: open items at each instant (SPEC §10).

Per interval between the instants: arrivals less resolutions (two index
range counts; a time grouping's arrivals come counted from the aggregates'
pass, `_arrivals`), less the solves a reopening undid, plus the reopenings
(`Reopening` rows, few); a running sum gives each instant. The shared pieces
(column names, `fetch`, `union`) are in `reports.sql`.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from herodesk.reports import sql


def upto_case(expr: str, instants: Sequence[datetime]) -> tuple[str, sql.Params]:
    """A CASE giving j for instants[j-1] < expr <= instants[j] (0 at or below
    instants[0]); the caller keeps expr <= instants[-1]. A binary tree of WHENs."""

    def node(lo: int, hi: int) -> tuple[str, sql.Params]:
        if hi - lo == 1:
            return str(int(lo)), []
        mid = (lo + hi) // 2
        slot, p = sql.ts(instants[mid - 1])
        left, lp = node(lo, mid)
        right, rp = node(mid, hi)
        return f"CASE WHEN {expr} <= {slot} THEN {left} ELSE {right} END", [p, *lp, *rp]

    return node(0, len(instants))


def backlog_steps(
    team_id: int,
    instants: Sequence[datetime],
    by: str | None,
    counted: Sequence[sql.Counted] | None = None,
) -> list[tuple[int, Any, int]]:
    """(j, group value, change) rows: arrivals (+1), resolutions (−1) and
    earlier solves undone by a reopening (−1 at the solve, +1 at the
    reopening), counted per interval (instants[j-1], instants[j]].
    `counted` (without `by`): arrivals the report's aggregates already
    counted, which the backlog then does not count again (`_arrivals`)."""
    last, last_p = sql.ts(instants[-1])
    alive = f"t.{sql.col('team')} = %s AND t.{sql.col('merged_into')} IS NULL"
    group = f"t.{sql.col(by)}" if by else "0"
    parts: list[tuple[str, sql.Params]] = []
    resolved = f"COALESCE(t.{sql.col('solved_at')}, t.{sql.col('closed_at')})"
    for sign, expr in ((1, f"t.{sql.col('created_at')}"), (-1, resolved)):
        case, case_p = upto_case(expr, instants)
        statement = (
            f"SELECT {case} AS j, {group} AS g, {int(sign)} * COUNT(*) AS n"  # noqa: S608
            f" FROM {sql.T} t WHERE {alive} AND {expr} <= {last} GROUP BY 1, 2"
        )
        parts.append((statement, [*case_p, team_id, last_p]))
    # Reopenings: each looks its ticket up by key, once (PostgreSQL would
    # otherwise hash-join them to a scan of every ticket), and only those
    # reopened after the first instant: a solve and its reopening both at or
    # before it add up to nothing, so the work follows the range, not the history.
    if connection.vendor == "postgresql":
        ticket = (
            f"CROSS JOIN LATERAL (SELECT {group} AS g FROM {sql.T} t"  # noqa: S608
            f" WHERE t.{sql.col('id')} = r.ticket_id AND {alive} OFFSET 0) AS t"
        )
        group_r = "t.g"
    else:
        ticket = f"JOIN {sql.T} t ON t.{sql.col('id')} = r.ticket_id AND {alive}"
        group_r = group
    first, first_p = sql.ts(instants[0])
    solve_case, solve_p = upto_case("rr.resolved_at", instants)
    reopen_case, reopen_p = upto_case("rr.reopened_at", instants)
    reopenings = (
        "WITH rr(resolved_at, reopened_at, g) AS MATERIALIZED"  # noqa: S608
        f" (SELECT r.resolved_at, r.reopened_at, {group_r} FROM {sql.R} r {ticket}"
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
        t, t_p = sql.ts(instants[0])
        created = f"t.{sql.col('created_at')}"
        open_then = (
            f"SELECT 0 AS j, g, COUNT(*) AS n FROM ("  # noqa: S608
            f"SELECT {group} AS g FROM {sql.T} t WHERE {alive} AND {resolved} IS NULL"
            f" AND {created} <= {t} UNION ALL SELECT {group} AS g FROM {sql.T} t"
            f" WHERE {alive} AND {resolved} > {t} AND {created} <= {t}) AS o GROUP BY g"
        )
        return sql.union([(open_then, [team_id, t_p, team_id, t_p, t_p]), *parts[2:]])
    if by is None:
        # Arrivals and resolutions: two index range counts per interval, in
        # one statement (a CASE over every row would cost more than the counts).
        if counted is not None:
            return sql.union([*_arrivals(team_id, instants, counted), *parts[2:]])
        return sql.union([_interval_counts(team_id, instants), *parts[2:]])
    return sql.union(parts)


FLOOR = datetime(1900, 1, 1, tzinfo=UTC)  # below every instant a desk records


def _interval_counts(team_id: int, instants: Sequence[datetime]) -> tuple[str, sql.Params]:
    values, params = sql.values_list(
        [(j, instants[j - 1] if j else FLOOR, t) for j, t in enumerate(instants)]
    )
    alive = f"t.{sql.col('team')} = %s AND t.{sql.col('merged_into')} IS NULL"
    resolved = f"COALESCE(t.{sql.col('solved_at')}, t.{sql.col('closed_at')})"
    created = f"t.{sql.col('created_at')}"

    def count(expr: str) -> str:
        return (
            f"(SELECT COUNT(*) FROM {sql.T} t WHERE {alive} AND {expr} > i.lo AND {expr} <= i.hi)"  # noqa: S608
        )

    statement = (
        f"WITH i(j, lo, hi) AS ({values})"  # noqa: S608
        f" SELECT j, 0 AS g, {count(created)} - {count(resolved)} AS n FROM i"
    )
    return statement, [*params, team_id, team_id]


def _arrivals(
    team_id: int, instants: Sequence[datetime], counted: Sequence[sql.Counted]
) -> list[tuple[str, sql.Params]]:
    """The interval counts of `_interval_counts` with the arrivals the
    aggregates counted taken from `counted` (the aggregates' pass read those
    tickets already: counting them again cost a third of the backlog).

    The aggregates count [lo, hi) ranges, the backlog (lo, hi] intervals: the
    arrivals in (I[j-1], I[j]] are those in [I[j-1], I[j]) plus those at
    I[j] less those at I[j-1] (an index seek per instant). [I[j-1], I[j]) is
    made of the counted units lying inside it (a unit's count cannot be split)
    and of ranges counted here: before the report's start, and the pieces of
    a unit that an instant cuts (a hero-week broken by an override, the
    uncovered time, a piece running past `now`)."""
    bounds = [FLOOR, *instants]
    known = [0] * len(instants)
    inside: list[list[tuple[datetime, datetime]]] = [[] for _ in instants]
    for n, ranges in counted:
        j = bisect.bisect_right(instants, ranges[0][0])  # the interval holding its first arrival
        if j < len(instants) and all(bounds[j] <= lo and hi <= instants[j] for lo, hi in ranges):
            known[j] += n
            inside[j].extend(ranges)
    gaps: list[tuple[int, datetime, datetime]] = []
    for j, taken in enumerate(inside):
        at = bounds[j]
        for lo, hi in sorted(taken):
            if at < lo:
                gaps.append((j, at, lo))
            at = hi
        if at < instants[j]:
            gaps.append((j, at, instants[j]))
    alive = f"t.{sql.col('team')} = %s AND t.{sql.col('merged_into')} IS NULL"
    resolved = f"COALESCE(t.{sql.col('solved_at')}, t.{sql.col('closed_at')})"
    created = f"t.{sql.col('created_at')}"
    # Per interval: the counted arrivals less the resolutions; per bound (the
    # floor and each instant, j − 1 for the interval it starts): the arrivals
    # exactly at it, added to the interval it ends and taken from the next.
    values, params = sql.values_list(
        [(j, known[j], instants[j - 1] if j else FLOOR, t) for j, t in enumerate(instants)]
    )
    at_values, at_params = sql.values_list([(j - 1, t) for j, t in enumerate(bounds)])
    statement = (
        f"WITH i(j, n, lo, hi) AS ({values})"  # noqa: S608
        f" SELECT j, 0 AS g, n - (SELECT COUNT(*) FROM {sql.T} t WHERE {alive}"
        f" AND {resolved} > i.lo AND {resolved} <= i.hi) AS n FROM i"
    )
    at_bound = (
        f"WITH b(j, at) AS ({at_values}), c(j, n) AS MATERIALIZED"  # noqa: S608
        f" (SELECT j, (SELECT COUNT(*) FROM {sql.T} t WHERE {alive} AND {created} = b.at) FROM b)"
        f" SELECT j, 0 AS g, n FROM c WHERE j >= 0 AND n > 0"
        f" UNION ALL SELECT j + 1, 0 AS g, -n FROM c WHERE j + 1 < {len(instants)} AND n > 0"
    )
    parts = [(statement, [*params, team_id]), (at_bound, [*at_params, team_id])]
    if gaps:
        gap_values, gap_params = sql.values_list(gaps)
        parts.append(
            (
                f"WITH a(j, lo, hi) AS ({gap_values}) SELECT j, 0 AS g,"  # noqa: S608
                f" (SELECT COUNT(*) FROM {sql.T} t WHERE {alive} AND {created} >= a.lo"
                f" AND {created} < a.hi) AS n FROM a",
                [*gap_params, team_id],
            )
        )
    return parts


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
