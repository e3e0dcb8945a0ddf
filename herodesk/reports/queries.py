"""Reports per team: aggregates computed in SQL over indexed columns.

The definitions live in `herodesk.domain.reports`; this module computes the
same figures in the database (the tests recompute them from the tickets with
the domain's reference `row`). A report is three statements whatever the
number of tickets (see `sql.py` for their shape): the cohort aggregates, the
nearest-rank percentiles (window functions), and the arrivals and resolutions
behind the backlog.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Avg, Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from herodesk.domain import reports as d
from herodesk.domain.tiers import Tier
from herodesk.lib import channels
from herodesk.lib.errors import Invalid
from herodesk.reports.sql import (
    MinutesBetween,
    Shape,
    Span,
    descending,
    nth,
    pick,
    ranked,
    run,
    segment_key,
    sorting,
    sql_of,
    upto_key,
)
from herodesk.rotations import queries as rotations
from herodesk.teams.models import Team
from herodesk.tickets.models import Ticket

GROUP_BYS = ("week", "hero_week", "channel", "tier")
MAX_RANGE = timedelta(days=732)  # two years; a year of 100k tickets takes well under 200 ms
GRADES = d.GRADES


@dataclass(frozen=True)
class ReportRow:
    key: str
    label: str
    start: datetime | None  # time keys: the period's first and last instant
    end: datetime | None
    hero: str | None  # hero-week rows: the username (None = nobody on duty)
    figures: d.Row


@dataclass(frozen=True)
class Report:
    team: Team
    start: datetime
    end: datetime
    group_by: str
    now: datetime
    rows: list[ReportRow]


def check_range(start: datetime, end: datetime, group_by: str = "week") -> None:
    if group_by not in GROUP_BYS:
        raise Invalid(f"group_by must be one of {', '.join(GROUP_BYS)}", field="group_by")
    for name, value in (("start", start), ("end", end)):
        if timezone.is_naive(value):
            raise Invalid(f"{name} must include a UTC offset", field=name)
    if end <= start:
        raise Invalid("end must be after start", field="end")
    if end - start > MAX_RANGE:
        raise Invalid("the range may span at most two years", field="end")


DEFAULT_RANGE = timedelta(weeks=12)


def parse_instant(team: Team, value: str | None, name: str) -> datetime | None:
    """An ISO 8601 instant; a date or a time without an offset is the team's local time."""
    if value is None or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f"{name} must be an ISO 8601 date or date-time", field=name) from None
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=team.calendar().tz)
    return parsed


def resolve_range(
    team: Team, start: str | None, end: str | None, now: datetime
) -> tuple[datetime, datetime]:
    """[start, end) from the parameters; by default the twelve weeks up to now."""
    end_at = parse_instant(team, end, "end") or now
    start_at = parse_instant(team, start, "start") or end_at - DEFAULT_RANGE
    check_range(start_at, end_at)
    return start_at, end_at


def alive(team: Team) -> QuerySet[Ticket]:
    """The team's tickets, merged duplicates left out."""
    return Ticket.objects.filter(team_id=team.pk, merged_into__isnull=True)


def cohort(team: Team, start: datetime, end: datetime) -> QuerySet[Ticket]:
    """The team's tickets that arrived in [start, end), merged duplicates left out."""
    return Ticket.objects.filter(
        team_id=team.pk, created_at__gte=start, created_at__lt=end, merged_into__isnull=True
    )


def periods(team: Team, start: datetime, end: datetime, group_by: str) -> d.Partition:
    if group_by == "week":
        return d.weeks(start, end, team.calendar().tz)
    schedule = rotations.load([team], start, end).schedules[team.pk]
    return d.hero_weeks(schedule, start, end)


def report(
    team: Team, start: datetime, end: datetime, group_by: str, now: datetime | None = None
) -> Report:
    check_range(start, end, group_by)
    now = now or timezone.now()
    with sorting():
        if group_by in ("week", "hero_week"):
            rows = _time_rows(team, start, end, group_by, now)
        else:
            rows = _dimension_rows(team, start, end, group_by, now)
    return Report(team, start, end, group_by, now, rows)


# ----- the statements --------------------------------------------------------

PERCENTS = (50, 90)
METRICS = ("frt", "cal", "res")  # working FRT, calendar FRT, resolution (solved only)


def _annotated(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.annotate(
        frt=F("first_response_minutes"),
        cal=MinutesBetween("created_at", "first_response_at"),
        res=Case(When(solved_at__isnull=False, then=F("resolution_minutes"))),
    )


def _aggregates(now: datetime) -> dict[str, Any]:
    late = Q(breached=True) | Q(late_after__lte=now, sla_paused_at__isnull=True)
    solved = Q(solved_at__isnull=False)
    return {
        "created": Count("id"),
        "first_responses": Count("first_response_minutes"),
        "breaches": Count("id", filter=late),
        "solved": Count("id", filter=solved),
        "mttr_mean": Avg("resolution_minutes", filter=solved),
        **{g: Count("id", filter=Q(first_response_grade=g)) for g in GRADES},
        # How many values each percentile ranks (frt, cal, res): see `_figures_by_period`.
        "n_frt": Count("first_response_minutes"),
        "n_cal": Count("first_response_at"),
        "n_res": Count("resolution_minutes", filter=solved),
    }


def _collect(
    agg_rows: list[tuple[Any, ...]], pct_rows: list[tuple[Any, ...]]
) -> dict[Any, dict[str, Any]]:
    """Rows of (key, aggregates…) and `ranked`/`nth` rows → figures per key."""
    names = ["k", *_aggregates(timezone.now())]
    out = {row[0]: dict(zip(names, row, strict=True)) for row in agg_rows}
    picked = pick(pct_rows, PERCENTS)
    for k, fig in out.items():
        fig["pct"] = {name: picked[i].get(k, {}) for i, name in enumerate(METRICS)}
    return out


def _figures_by_period(
    qs: QuerySet[Ticket], part: d.Partition, now: datetime
) -> dict[Any, dict[str, Any]]:
    """Per period: subqueries over its own index ranges, compiled once per shape."""
    aggs = _aggregates(now)
    names = list(aggs)
    agg_shape = Shape(
        lambda spans: qs.filter(_within(spans)).annotate(_k=Value(0)).values("_k").annotate(**aggs)
    )
    agg_rows = [
        (row[0], *row[2:])  # (key, the _k constant, aggregates…)
        for row in run(_with_key(i, agg_shape(p.pieces)) for i, p in enumerate(part.periods))
    ]
    counts = {row[0]: row for row in agg_rows}
    shapes = {
        (name, desc): Shape(_ordered(qs, name, desc), ordered=True)
        for name in METRICS
        for desc in (False, True)
    }
    statements = []
    for i, period in enumerate(part.periods):
        for m, name in enumerate(METRICS):
            n = counts[i][1 + names.index(f"n_{name}")]
            for p in PERCENTS if n else ():
                desc = descending(p, n)
                statements.append(nth(shapes[name, desc](period.pieces), m, name, p, n, i, desc))
    return _collect(agg_rows, run(statements))


def _ordered(
    qs: QuerySet[Ticket], name: str, desc: bool
) -> Callable[[Sequence[Span]], QuerySet[Any]]:
    def build(spans: Sequence[Span]) -> QuerySet[Any]:
        rows = _annotated(qs.filter(_within(spans))).filter(**{f"{name}__isnull": False})
        return rows.order_by(f"-{name}" if desc else name).values_list(name)

    return build


def _with_key(key: int, statement: tuple[str, list[Any]]) -> tuple[str, list[Any]]:
    sql, params = statement
    return f"SELECT {int(key)} AS key, t.* FROM ({sql}) t", params  # noqa: S608 - an int


def _figures_by_column(qs: QuerySet[Ticket], by: str, now: datetime) -> dict[Any, dict[str, Any]]:
    agg_rows = run([sql_of(qs.annotate(k=F(by)).values("k").annotate(**_aggregates(now)))])
    pct_rows = run(
        ranked(_annotated(qs), m, name, PERCENTS, partition=by) for m, name in enumerate(METRICS)
    )
    return _collect(agg_rows, pct_rows)


def _within(pieces: Sequence[tuple[datetime, datetime]]) -> Q:
    q = Q()
    for a, b in pieces:
        q |= Q(created_at__gte=a, created_at__lt=b)
    return q


def _interval(
    alive: QuerySet[Ticket], column: str, group: str
) -> Callable[[Sequence[Span]], QuerySet[Any]]:
    """Rows with lo < column <= hi, counted per `group` (a column, or one constant)."""

    def build(spans: Sequence[Span]) -> QuerySet[Any]:
        [(lo, hi)] = spans
        rows = alive.filter(**{f"{column}__gt": lo, f"{column}__lte": hi})
        return (
            rows.annotate(_z=Value(0), g=F(group) if group != "j" else Value(0))
            .values("_z", "g")
            .annotate(n=Count("id"))
        )

    return build


def _backlog_grouped(
    alive: QuerySet[Ticket], instants: Sequence[datetime], by: str | None
) -> list[dict[Any, int]]:
    """PostgreSQL: two GROUP BY statements (arrivals, resolutions per interval),
    each planned once; a CASE tree puts each row in its interval."""
    group = ["j", by] if by else ["j"]
    delta: list[dict[Any, int]] = [defaultdict(int) for _ in instants]
    for sign, column in ((1, "created_at"), (-1, "resolved")):
        rows = (
            alive.filter(**{f"{column}__lte": instants[-1]})
            .annotate(j=upto_key(column, instants))
            .values(*group)
            .annotate(n=Count("id"))
            .order_by()
        )
        for r in rows:
            delta[r["j"]][r[by] if by else None] += sign * r["n"]
    out: list[dict[Any, int]] = []
    running: dict[Any, int] = defaultdict(int)
    for step in delta:
        for k, n in step.items():
            running[k] += n
        out.append(dict(running))
    return out


def backlog_at(
    team: Team, instants: Sequence[datetime], by: str | None = None
) -> list[dict[Any, int]]:
    """Open items at each instant (sorted), per value of column `by` (or None):
    arrivals less resolutions, counted per interval between the instants."""
    if not instants:
        return []
    alive = Ticket.objects.filter(team_id=team.pk, merged_into__isnull=True).annotate(
        resolved=Coalesce("solved_at", "closed_at")
    )
    if connection.vendor == "postgresql":
        return _backlog_grouped(alive, instants, by)
    group = by or "j"
    floor = datetime(1900, 1, 1, tzinfo=UTC)
    shapes = [
        (sign, Shape(_interval(alive, column, group)))
        for sign, column in ((1, "created_at"), (-1, "resolved"))
    ]
    statements = []
    for j, t in enumerate(instants):
        lo = instants[j - 1] if j else floor
        for sign, shape in shapes:
            sql, params = shape([(lo, t)])
            statements.append((f"SELECT {j} AS j, {sign} AS s, t.* FROM ({sql}) t", params))  # noqa: S608
    running: dict[Any, int] = defaultdict(int)
    by_step: list[list[tuple[Any, int]]] = [[] for _ in instants]
    for j, sign, _, g, n in run(statements):
        by_step[j].append((g if by else None, sign * n))
    out = []
    for step in by_step:
        for g, n in step:
            running[g] += n
        out.append(dict(running))
    return out


# ----- rows -------------------------------------------------------------------


def _row(fig: dict[str, Any] | None, backlog: int) -> d.Row:
    if fig is None:
        return d.Row(0, 0, None, None, None, d.Attainment(), 0, 0, None, None, None, backlog)
    pct = fig["pct"]
    return d.Row(
        created=fig["created"],
        first_responses=fig["first_responses"],
        frt_p50=pct["frt"].get(50),
        frt_p90=pct["frt"].get(90),
        frt_calendar_p50=pct["cal"].get(50),
        attainment=d.Attainment(**{g: fig[g] for g in GRADES}),
        breaches=fig["breaches"],
        solved=fig["solved"],
        mttr_mean=fig["mttr_mean"],
        mttr_p50=pct["res"].get(50),
        mttr_p90=pct["res"].get(90),
        backlog_end=backlog,
    )


def _time_rows(
    team: Team, start: datetime, end: datetime, group_by: str, now: datetime
) -> list[ReportRow]:
    part = periods(team, start, end, group_by)
    if connection.vendor == "postgresql":
        # PostgreSQL plans each UNION ALL part (milliseconds apiece): one scan
        # keyed by a CASE tree over the period bounds, ranked with windows.
        keyed = cohort(team, start, end).annotate(
            period=segment_key("created_at", part.bounds, part.owners)
        )
        figs = _figures_by_column(keyed, "period", now)
    else:
        # SQLite: each period's own index range (with the whole range too, it may
        # walk the whole range for every period).
        figs = _figures_by_period(alive(team), part, now)
    ends = sorted({min(p.end, now) for p in part.periods})
    counts = backlog_at(team, ends)
    backlog = {t: c.get(None, 0) for t, c in zip(ends, counts, strict=True)}
    names = _display_names({p.person for p in part.periods if p.person})
    tz = team.calendar().tz
    return [
        ReportRow(
            p.key,
            _period_label(p, group_by, names, tz),
            p.start,
            p.end,
            p.person,
            _row(figs.get(i), backlog[min(p.end, now)]),
        )
        for i, p in enumerate(part.periods)
    ]


def _dimension_rows(
    team: Team, start: datetime, end: datetime, by: str, now: datetime
) -> list[ReportRow]:
    figs = _figures_by_column(cohort(team, start, end), by, now)
    [counts] = backlog_at(team, [min(end, now)], by)
    keys = sorted({*figs, *(k for k, n in counts.items() if n)})
    return [
        ReportRow(
            str(k), _dimension_label(by, k), None, None, None, _row(figs.get(k), counts.get(k, 0))
        )
        for k in keys
    ]


def _dimension_label(by: str, value: Any) -> str:
    if by == "tier":
        return f"T{value} {Tier(value).label}"
    return channels.label(str(value))


def _period_label(p: d.Period, group_by: str, names: dict[str, str], tz: Any) -> str:
    a, b = p.start.astimezone(tz), (p.end - timedelta(microseconds=1)).astimezone(tz)
    if group_by == "week":
        return f"Week of {a.day} {a:%b %Y}"
    if p.person is None:
        return "Nobody on duty"
    return f"{names.get(p.person, p.person)} · {a.day} {a:%b} – {b.day} {b:%b %Y}"


def _display_names(usernames: set[str]) -> dict[str, str]:
    users = get_user_model().objects.filter(username__in=usernames)
    return {u.get_username(): u.get_full_name() or u.get_username() for u in users}
