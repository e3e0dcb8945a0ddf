"""SQL pieces for the report aggregates, the same on SQLite and PostgreSQL.

- `segment_key`: which period a timestamp falls in, as a balanced tree of
  CASE expressions over the sorted period bounds: log2(segments) comparisons
  per row instead of one per segment (a year of hero-weeks with overrides is a
  few hundred segments).
- `upto_key`: the index of the first instant t_j with value <= t_j (buckets
  (t_j-1, t_j]) for the running counts behind the backlog.
- `MinutesBetween`: wall-clock minutes between two timestamps.
- `nearest_ranks`: nearest-rank percentiles per key with window functions,
  wrapped around a queryset's SQL, returning only the ranked rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Case, Expression, FloatField, Func, IntegerField, QuerySet, Value, When

from herodesk.domain.reports import rank

OUTSIDE = -1


def segment_key(field: str, bounds: Sequence[datetime], owners: Sequence[int | None]) -> Expression:
    """owners[i] where bounds[i] <= field < bounds[i+1] (OUTSIDE for None); the
    caller filters rows to [bounds[0], bounds[-1])."""
    if len(bounds) != len(owners) + 1 or not owners:
        raise ValueError("need len(bounds) == len(owners) + 1 >= 2")

    def node(lo: int, hi: int) -> Expression:
        if hi - lo == 1:
            owner = owners[lo]
            return Value(OUTSIDE if owner is None else owner, output_field=IntegerField())
        mid = (lo + hi) // 2
        return Case(
            When(**{f"{field}__lt": bounds[mid]}, then=node(lo, mid)),
            default=node(mid, hi),
            output_field=IntegerField(),
        )

    return node(0, len(owners))


def upto_key(field: str, instants: Sequence[datetime]) -> Expression:
    """j for instants[j-1] < field <= instants[j] (0 for field <= instants[0]);
    the caller filters rows to field <= instants[-1]. `instants` sorted; `field`
    may be an annotation."""

    def node(lo: int, hi: int) -> Expression:
        if hi - lo == 1:
            return Value(lo, output_field=IntegerField())
        mid = (lo + hi) // 2  # rows <= instants[mid - 1] go left
        return Case(
            When(**{f"{field}__lte": instants[mid - 1]}, then=node(lo, mid)),
            default=node(mid, hi),
            output_field=IntegerField(),
        )

    return node(0, len(instants))


class MinutesBetween(Func):
    """Wall-clock minutes from the first timestamp to the second."""

    output_field = FloatField()
    arity = 2

    def as_sqlite(self, compiler: Any, conn: Any, **extra: Any) -> Any:
        a, b = self.source_expressions
        sql_a, params_a = compiler.compile(a)
        sql_b, params_b = compiler.compile(b)
        return f"((julianday({sql_b}) - julianday({sql_a})) * 1440.0)", [*params_a, *params_b]

    def as_postgresql(self, compiler: Any, conn: Any, **extra: Any) -> Any:
        a, b = self.source_expressions
        sql_a, params_a = compiler.compile(a)
        sql_b, params_b = compiler.compile(b)
        return f"(EXTRACT(EPOCH FROM ({sql_b} - {sql_a})) / 60.0)", [*params_a, *params_b]


def rank_of(p: int) -> int:
    rank(p, 1)  # validates: an integer 0–100
    return int(p)


def nearest_ranks(
    qs: QuerySet[Any], key: str, values: Sequence[str], percents: Sequence[int]
) -> dict[str, dict[Any, dict[int, float]]]:
    """{value name: {key: {p: nearest-rank percentile}}} for each named value
    column of `qs` (annotated), per `key`, NULLs ignored. One statement; only
    the rows at the wanted ranks leave the database."""
    inner, params = qs.values_list(key, *values).query.sql_with_params()
    cols = ["k", *[f"v{i}" for i in range(len(values))]]
    wanted = " OR ".join(f"rn = ({rank_of(p)} * n + 99) / 100" for p in percents)
    # Only integers and the ORM's own SQL (its values stay parameters) are spliced in.
    parts = [
        f"SELECT {i} AS m, k, v, rn, n FROM ("  # noqa: S608
        f"SELECT k, v{i} AS v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v{i}) AS rn,"
        f" COUNT(*) OVER (PARTITION BY k) AS n FROM base WHERE v{i} IS NOT NULL) r{i}"
        f" WHERE {wanted}"
        for i in range(len(values))
    ]
    sql = f"WITH base ({', '.join(cols)}) AS ({inner}) " + " UNION ALL ".join(parts)
    out: dict[str, dict[Any, dict[int, float]]] = {v: defaultdict(dict) for v in values}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for m, k, v, rn, n in rows:
        for p in percents:
            if rn == rank(p, n):
                out[values[m]][k][p] = float(v)
    return out
