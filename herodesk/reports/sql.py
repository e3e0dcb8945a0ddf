"""SQL pieces for the report aggregates, the same on SQLite and PostgreSQL.

How a year of 100k tickets stays fast: every statement reads index ranges and
sorts little.
- Time keys (weeks, hero-weeks) are ranges of `created_at`: one subquery per
  period over its index range, glued with UNION ALL into one statement. No
  GROUP BY over all rows (SQLite would sort them all).
- Percentiles are nearest ranks taken with ROW_NUMBER() over each period's
  own rows (small sorts), or over PARTITION BY a column (channel, tier).
- The backlog is a running sum of arrivals and resolutions per interval
  between the instants asked about (index range counts again).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Expression,
    FloatField,
    Func,
    IntegerField,
    QuerySet,
    Value,
    When,
)

from herodesk.domain.reports import rank

OUTSIDE = -1  # segment_key for time nobody owns
SORT_MEMORY = "64MB"  # PostgreSQL work_mem for the percentile sorts (a year of 100k tickets)
MAX_TERMS = 400  # SQLite allows 500 SELECTs in one compound statement


class MinutesBetween(Func):
    """Wall-clock minutes from the first timestamp to the second."""

    output_field = FloatField()
    arity = 2

    def _sides(self, compiler: Any) -> tuple[str, str, list[Any]]:
        a, b = self.source_expressions
        sql_a, params_a = compiler.compile(a)
        sql_b, params_b = compiler.compile(b)
        return sql_a, sql_b, [*params_a, *params_b]

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        a, b, params = self._sides(compiler)
        return f"((julianday({b}) - julianday({a})) * 1440.0)", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        a, b, params = self._sides(compiler)
        return f"(EXTRACT(EPOCH FROM ({b} - {a})) / 60.0)", params


def sql_of(qs: QuerySet[Any]) -> tuple[str, list[Any]]:
    sql, params = qs.order_by().query.sql_with_params()
    return sql, list(params)


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


def run(statements: Iterable[tuple[str, list[Any]]]) -> list[tuple[Any, ...]]:
    """Run SELECTs glued with UNION ALL (in chunks SQLite accepts); all rows."""
    items = list(statements)
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for i in range(0, len(items), MAX_TERMS):
            chunk = items[i : i + MAX_TERMS]
            # Only SQL compiled by the ORM (values stay parameters) is glued here.
            sql = " UNION ALL ".join(f"SELECT * FROM ({s}) t{j}" for j, (s, _) in enumerate(chunk))  # noqa: S608
            cursor.execute(sql, [p for _, params in chunk for p in params])
            rows.extend(cursor.fetchall())
    return rows


class sorting:
    """Around a report: on PostgreSQL one transaction with room to sort in memory."""

    def __enter__(self) -> None:
        self.atomic = transaction.atomic() if connection.vendor == "postgresql" else None
        if self.atomic is not None:
            self.atomic.__enter__()
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL work_mem = '{SORT_MEMORY}'")

    def __exit__(self, *exc: Any) -> None:
        if self.atomic is not None:
            self.atomic.__exit__(*exc)


def ranked(
    qs: QuerySet[Any],
    metric: int,
    value: str,
    percents: Sequence[int],
    *,
    key: int | None = None,
    partition: str | None = None,
) -> tuple[str, list[Any]]:
    """A SELECT of (metric, key, value, rn, n) for the rows at the nearest ranks
    of `percents` among `qs`'s non-null `value`s: `qs` is one key's rows
    (`key` given), or they are split by the column `partition`."""
    for p in percents:
        rank(p, 1)  # validates: integers 0–100, safe to splice
    if (key is None) == (partition is None):
        raise ValueError("give exactly one of key and partition")
    cols = (partition, value) if partition else (value,)
    inner, params = sql_of(qs.filter(**{f"{value}__isnull": False}).values_list(*cols))
    names = f"{partition} AS k, {value} AS v" if partition else f"{value} AS v"
    over = "PARTITION BY k ORDER BY v" if partition else "ORDER BY v"
    count = "PARTITION BY k" if partition else ""
    wanted = " OR ".join(f"rn = ({int(p)} * n + 99) / 100" for p in percents)
    k = "k" if partition else str(int(key or 0))
    sql = (
        f"SELECT {int(metric)} AS m, {k} AS k, v, rn, n FROM ("  # noqa: S608 - ints + ORM SQL
        f"SELECT {'k, ' if partition else ''}v, ROW_NUMBER() OVER ({over}) AS rn,"
        f" COUNT(*) OVER ({count}) AS n FROM (SELECT {names} FROM ({inner}) AS base) AS kv"
        f") AS r WHERE {wanted}"
    )
    return sql, params


Span = tuple[datetime, datetime]
_SENTINEL = datetime(1901, 1, 1, tzinfo=UTC)  # stands for a bound while compiling


class Shape:
    """Compile a statement's SQL once and bind each period's bounds as parameters.

    The ORM takes about a millisecond to compile a statement; a year of weeks is
    hundreds of statements that differ only in their bounds. `build(spans)`
    returns the queryset for some spans; it is compiled once per number of
    spans with sentinel instants, whose parameter slots then take the real ones."""

    def __init__(self, build: Callable[[Sequence[Span]], QuerySet[Any]], ordered: bool = False):
        self.build, self.ordered = build, ordered
        self.cache: dict[int, tuple[str, list[Any], list[int | None]]] = {}

    def __call__(self, spans: Sequence[Span]) -> tuple[str, list[Any]]:
        n = len(spans)
        if n not in self.cache:
            fake = [(_mark(2 * i), _mark(2 * i + 1)) for i in range(n)]
            qs = self.build(fake)
            compiled, raw = (qs if self.ordered else qs.order_by()).query.sql_with_params()
            marks = {_adapt(_mark(j)): j for j in range(2 * n)}
            slots = [marks.get(p) if isinstance(p, (str, datetime)) else None for p in raw]
            self.cache[n] = (compiled, list(raw), slots)
        sql, params, slots = self.cache[n]
        flat = [t for span in spans for t in span]
        return sql, [
            p if slot is None else _adapt(flat[slot]) for p, slot in zip(params, slots, strict=True)
        ]


def _mark(i: int) -> datetime:
    return _SENTINEL + timedelta(seconds=i)


def _adapt(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def nth(
    shape: tuple[str, list[Any]], metric: int, value: str, p: int, n: int, key: int, desc: bool
) -> tuple[str, list[Any]]:
    """A SELECT of (metric, key, value, rank, n): the nearest-rank percentile `p`
    of `n` values, from `shape`, one key's non-null values ordered by `value`
    (descending when `desc`), with LIMIT 1 OFFSET: the database keeps only the
    rows up to the offset while it sorts, so a p90 sorts descending and keeps a
    tenth."""
    r = rank(p, n)
    offset = n - r if desc else r - 1
    inner, params = shape
    sql = (
        f"SELECT {int(metric)} AS m, {int(key)} AS k, {value} AS v,"  # noqa: S608 - ints + ORM SQL
        f" {int(r)} AS rn, {int(n)} AS n FROM ({inner} LIMIT 1 OFFSET {int(offset)}) AS one"
    )
    return sql, params


def descending(p: int, n: int) -> bool:
    """Whether the nearest rank of p is closer to the top (sort descending)."""
    r = rank(p, n)
    return n - r < r - 1


def pick(
    rows: Iterable[tuple[Any, ...]], percents: Sequence[int]
) -> dict[Any, dict[Any, dict[int, float]]]:
    """{tag: {key: {p: value}}} from `ranked` rows."""
    out: dict[Any, dict[Any, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for tag, key, v, rn, n in rows:
        for p in percents:
            if rn == rank(p, n):
                out[tag][key][p] = float(v)
    return out
