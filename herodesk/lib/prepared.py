"""Prepared lookups: a queryset compiled to SQL once, then run with new values.

Building SQL is most of what the ORM costs on a hot path: on this machine a
`Token.objects.select_related("user__person").get(digest=…)` spends ~370 µs
compiling and ~16 µs in SQLite. The lookups every API request makes (token →
user, team by slug, requester by email) are always the same shape, so
`Prepared` compiles the queryset once per database with marker values in
place of the arguments, remembers where each marker landed in the
parameters, and afterwards only executes the SQL and builds model instances
(with their `select_related` objects) the way Django's `ModelIterable` does.

Use it only for plain filter/select_related/only/order_by/slice shapes whose
SQL does not depend on the values (string or integer arguments, of the same
type on every call; no `__in` lists, no `None`, no `__contains`, which change
the SQL or the value). Compiling checks that every marker appears in
the parameters exactly once, so a shape that does not fit fails loudly the
first time it is used (tests run every prepared lookup on both databases).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, router, transaction
from django.db.models import Model, QuerySet
from django.db.models.query import ValuesListIterable, get_related_populators
from django.db.models.sql import InsertQuery

M = TypeVar("M", bound=Model)

_MARK = "\x00herodesk-prepared-{}\x00"
_INT_MARK = -(2**62)  # integer arguments compile with _INT_MARK - i (never executed)


def _marks(args: tuple[Any, ...]) -> list[Any]:
    """A value per argument that the compiled SQL's parameters will show verbatim."""
    return [
        _INT_MARK - i if isinstance(arg, int) and not isinstance(arg, bool) else _MARK.format(i)
        for i, arg in enumerate(args)
    ]


def _slots(marks: list[Any], params: Any) -> list[tuple[int, int]]:
    """Where each argument's marker landed among the compiled SQL's parameters."""
    slots = []
    for i, mark in enumerate(marks):
        where = [p for p, value in enumerate(params) if type(value) is type(mark) and value == mark]
        if len(where) != 1:
            raise ValueError(f"prepared argument {i} appears {len(where)} times in the SQL")
        slots.append((where[0], i))
    return slots


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (position in params, argument index)
    model: type[Model]
    start: int
    end: int
    init_list: list[str]
    converters: list[tuple[int, list[Any], Any]]
    populators: list[Any]


class Prepared(Generic[M]):
    """`Prepared(Team, lambda slug: Team.objects.filter(slug=slug)[:1])` → `.first(slug)`."""

    def __init__(self, model: type[M], build: Callable[..., QuerySet[M]]) -> None:
        self._model = model
        self._build = build
        self._plans: dict[str, _Plan] = {}
        self._lock = threading.Lock()

    def _plan(self, alias: str | None, args: tuple[Any, ...]) -> tuple[str, _Plan]:
        db = alias or router.db_for_read(self._model)
        plan = self._plans.get(db)
        if plan is not None:
            return db, plan
        marks = _marks(args)
        qs = self._build(*marks)
        with self._lock:
            compiler = qs.query.get_compiler(using=db)
            sql, params = compiler.as_sql()
            slots = _slots(marks, params)
            select, klass_info = compiler.select, compiler.klass_info
            if klass_info is None or compiler.annotation_col_map:
                raise ValueError("prepared lookups must select model rows without annotations")
            fields = klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
            plan = _Plan(
                sql=sql,
                params=tuple(params),
                slots=tuple(slots),
                model=klass_info["model"],
                start=start,
                end=end,
                init_list=[f[0].target.attname for f in select[start:end]],
                converters=[(pos, convs, expr) for pos, (convs, expr) in converters.items()],
                populators=get_related_populators(klass_info, select, db),  # type: ignore[call-arg]
            )
            self._plans[db] = plan
        return db, plan

    def all(self, *args: Any, using: str | None = None) -> list[M]:
        db, plan = self._plan(using, args)
        params = list(plan.params)
        for position, index in plan.slots:
            params[position] = args[index]
        connection = connections[db]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        out: list[M] = []
        for raw in rows:
            row = list(raw)
            for pos, convs, expr in plan.converters:
                value = row[pos]
                for converter in convs:
                    value = converter(value, expr, connection)
                row[pos] = value
            obj = plan.model.from_db(db, plan.init_list, row[plan.start : plan.end])
            for populator in plan.populators:
                populator.populate(row, obj)
            out.append(obj)  # type: ignore[arg-type]
        return out

    def first(self, *args: Any, using: str | None = None) -> M | None:
        """The first row, or None (slice the queryset to one row when building it)."""
        rows = self.all(*args, using=using)
        return rows[0] if rows else None


@dataclass(frozen=True)
class _RowsPlan:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]
    converters: list[tuple[int, list[Any], Any]]


class PreparedRows:
    """Like Prepared, for a `values_list(...)` queryset: plain tuples, no model
    instances (the hot path that only turns rows into JSON).

    `PreparedRows(Question, lambda page: Question.objects.filter(page=page)
    .values_list("id", "topic__slug")[:50]).all("/docs/x")` → `[(1, "ingest"), …]`,
    each value converted as the ORM converts it (aware datetimes, booleans on SQLite).
    """

    def __init__(self, model: type[Model], build: Callable[..., QuerySet[Any]]) -> None:
        self._model = model
        self._build = build
        self._plans: dict[str, _RowsPlan] = {}
        self._lock = threading.Lock()

    def _plan(self, alias: str | None, args: tuple[Any, ...]) -> tuple[str, _RowsPlan]:
        db = alias or router.db_for_read(self._model)
        plan = self._plans.get(db)
        if plan is not None:
            return db, plan
        marks = _marks(args)
        qs = self._build(*marks)
        with self._lock:
            compiler = qs.query.get_compiler(using=db)
            sql, params = compiler.as_sql()
            slots = _slots(marks, params)
            if qs._iterable_class is not ValuesListIterable:
                raise ValueError("PreparedRows takes a values_list() queryset (Prepared: rows)")
            select = compiler.select[: compiler.col_count]
            converters = compiler.get_converters([s[0] for s in select])
            plan = _RowsPlan(
                sql=sql,
                params=tuple(params),
                slots=tuple(slots),
                converters=[(pos, convs, expr) for pos, (convs, expr) in converters.items()],
            )
            self._plans[db] = plan
        return db, plan

    def all(self, *args: Any, using: str | None = None) -> list[tuple[Any, ...]]:
        db, plan = self._plan(using, args)
        params = list(plan.params)
        for position, index in plan.slots:
            params[position] = args[index]
        connection = connections[db]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        if not plan.converters:
            return [tuple(row) for row in rows]
        out = []
        for raw in rows:
            row = list(raw)
            for pos, convs, expr in plan.converters:
                value = row[pos]
                for converter in convs:
                    value = converter(value, expr, connection)
                row[pos] = value
            out.append(tuple(row))
        return out


@dataclass(frozen=True)
class _InsertPlan:
    sql: str
    fields: tuple[Any, ...]
    returning: tuple[Any, ...]
    returning_params: Any


_INSERT_PLANS: dict[tuple[type[Model], str], _InsertPlan] = {}


def _insert_plan(model: type[Model], db: str, obj: Model) -> _InsertPlan:
    plan = _INSERT_PLANS.get((model, db))
    if plan is None:
        meta = model._meta
        fields = [
            f
            for f in meta.local_concrete_fields
            if f is not meta.auto_field and not getattr(f, "generated", False)
        ]
        query = InsertQuery(model)
        query.insert_values(fields, [obj])
        compiler = query.get_compiler(using=db)
        compiler.returning_fields = meta.db_returning_fields
        [(sql, _params)] = compiler.as_sql()
        plan = _InsertPlan(
            sql=sql,
            fields=tuple(fields),
            returning=tuple(meta.db_returning_fields),
            returning_params=getattr(compiler, "returning_params", None),
        )
        _INSERT_PLANS[(model, db)] = plan
    return plan


def insert(obj: M) -> M:
    """INSERT a new model instance with SQL compiled once per model (see Prepared).

    Like `obj.save()` for a new row with an auto primary key: field defaults
    and `auto_now`/`auto_now_add` apply, the generated key is set on `obj`.
    Unlike it, the model's pre_save/post_save signals are not sent (HeroDesk
    has no receivers for them; its own signals are sent by the actions).
    Anything unusual — a primary key given, an expression as a value, a
    parent model — goes through `obj.save()` instead.
    """
    model = type(obj)
    meta = model._meta
    if obj.pk is not None or meta.parents or meta.auto_field is None:
        obj.save(force_insert=True)
        return obj
    db = router.db_for_write(model, instance=obj)
    connection = connections[db]
    plan = _insert_plan(model, db, obj)
    params = []
    for f in plan.fields:
        value = f.pre_save(obj, True)
        if hasattr(value, "resolve_expression"):
            obj.save(force_insert=True)
            return obj
        params.append(f.get_db_prep_save(value, connection))
    ops: Any = connection.ops
    with transaction.mark_for_rollback_on_error(db), connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        if connection.features.can_return_columns_from_insert:
            row = ops.fetch_returned_insert_columns(cursor, plan.returning_params)
        else:  # pragma: no cover - both supported databases return columns
            row = (ops.last_insert_id(cursor, meta.db_table, str(meta.auto_field.column)),)
    for field, value in zip(plan.returning, row, strict=True):
        setattr(obj, field.attname, value)
    obj._state.adding = False
    obj._state.db = db
    return obj
