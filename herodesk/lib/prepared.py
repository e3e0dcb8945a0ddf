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
    """What a prepared queryset compiled to on one database."""

    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (position in params, argument index)
    converters: list[tuple[int, list[Any], Any]]
    # Model rows only (Prepared): the model, its columns and select_related populators.
    model: type[Model] | None = None
    start: int = 0
    end: int = 0
    init_list: tuple[str, ...] = ()
    populators: tuple[Any, ...] = ()


class _PreparedQuery:
    """Compile once per database with markers for the arguments, then bind,
    execute and convert each row's values as the ORM does. Subclasses say what
    a row becomes (`_compile` checks the shape and keeps what `all` needs)."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet[Any]]) -> None:
        self._model = model
        self._build = build
        self._plans: dict[str, _Plan] = {}
        self._lock = threading.Lock()

    def _compile(self, qs: QuerySet[Any], compiler: Any, db: str, **plan: Any) -> _Plan:
        raise NotImplementedError

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
            plan = self._compile(
                qs, compiler, db, sql=sql, params=tuple(params), slots=tuple(_slots(marks, params))
            )
            self._plans[db] = plan
        return db, plan

    @staticmethod
    def _converters(compiler: Any, select: list[Any]) -> list[tuple[int, list[Any], Any]]:
        converters = compiler.get_converters([s[0] for s in select])
        return [(pos, convs, expr) for pos, (convs, expr) in converters.items()]

    def _rows(self, args: tuple[Any, ...], using: str | None) -> tuple[str, _Plan, list[list[Any]]]:
        """Execute with the arguments bound; rows with their values converted."""
        db, plan = self._plan(using, args)
        params = list(plan.params)
        for position, index in plan.slots:
            params[position] = args[index]
        connection = connections[db]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = [list(raw) for raw in cursor.fetchall()]
        for row in rows if plan.converters else ():
            for pos, convs, expr in plan.converters:
                value = row[pos]
                for converter in convs:
                    value = converter(value, expr, connection)
                row[pos] = value
        return db, plan, rows


class Prepared(_PreparedQuery, Generic[M]):
    """`Prepared(Team, lambda slug: Team.objects.filter(slug=slug)[:1])` → `.first(slug)`."""

    def __init__(self, model: type[M], build: Callable[..., QuerySet[M]]) -> None:
        super().__init__(model, build)

    def _compile(self, qs: QuerySet[Any], compiler: Any, db: str, **plan: Any) -> _Plan:
        select, klass_info = compiler.select, compiler.klass_info
        if klass_info is None or compiler.annotation_col_map:
            raise ValueError("prepared lookups must select model rows without annotations")
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Plan(
            **plan,
            converters=self._converters(compiler, select[: compiler.col_count]),
            model=klass_info["model"],
            start=start,
            end=end,
            init_list=tuple(f[0].target.attname for f in select[start:end]),
            populators=tuple(get_related_populators(klass_info, select, db)),  # type: ignore[call-arg]
        )

    def all(self, *args: Any, using: str | None = None) -> list[M]:
        db, plan, rows = self._rows(args, using)
        model: Any = plan.model
        init_list = list(plan.init_list)
        out: list[M] = []
        for row in rows:
            obj = model.from_db(db, init_list, row[plan.start : plan.end])
            for populator in plan.populators:
                populator.populate(row, obj)
            out.append(obj)
        return out

    def first(self, *args: Any, using: str | None = None) -> M | None:
        """The first row, or None (slice the queryset to one row when building it)."""
        rows = self.all(*args, using=using)
        return rows[0] if rows else None


class PreparedRows(_PreparedQuery):
    """Like Prepared, for a `values_list(...)` queryset: plain tuples, no model
    instances (the hot path that only turns rows into JSON).

    `PreparedRows(Question, lambda page: Question.objects.filter(page=page)
    .values_list("id", "topic__slug")[:50]).all("/docs/x")` → `[(1, "ingest"), …]`,
    each value converted as the ORM converts it (aware datetimes, booleans on SQLite).
    """

    def _compile(self, qs: QuerySet[Any], compiler: Any, db: str, **plan: Any) -> _Plan:
        if qs._iterable_class is not ValuesListIterable:
            raise ValueError("PreparedRows takes a values_list() queryset (Prepared: rows)")
        return _Plan(
            **plan, converters=self._converters(compiler, compiler.select[: compiler.col_count])
        )

    def all(self, *args: Any, using: str | None = None) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._rows(args, using)[2]]


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
