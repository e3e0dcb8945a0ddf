"""Reports per team: aggregates computed in SQL over indexed columns.

The definitions live in `herodesk.domain.reports`; this module computes the
same figures in the database (the tests recompute them from the tickets with
the domain's reference `row`). A report is four statements whatever the
number of tickets: the cohort aggregates, the percentiles (window functions),
and two running counts (arrivals and resolutions) behind the backlog.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Avg, Case, Count, Expression, F, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from herodesk.domain import reports as d
from herodesk.domain.tiers import Tier
from herodesk.lib.errors import Invalid
from herodesk.reports.sql import MinutesBetween, nearest_ranks, segment_key, upto_key
from herodesk.rotations import queries as rotations
from herodesk.teams.models import Team
from herodesk.tickets.models import Channel, Ticket

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
    if group_by in ("week", "hero_week"):
        rows = _time_rows(team, start, end, group_by, now)
    else:
        rows = _dimension_rows(team, start, end, group_by, now)
    return Report(team, start, end, group_by, now, rows)


# ----- the four statements ---------------------------------------------------


def _figures(qs: QuerySet[Ticket], key: Expression, now: datetime) -> dict[Any, dict[str, Any]]:
    """Per key: counts, attainment, breaches, MTTR mean and the percentiles."""
    keyed = qs.annotate(k=key)
    late = Q(breached=True) | Q(late_after__lte=now, sla_paused_at__isnull=True)
    solved = Q(solved_at__isnull=False)
    rows = keyed.values("k").annotate(
        created=Count("id"),
        first_responses=Count("first_response_minutes"),
        breaches=Count("id", filter=late),
        solved=Count("id", filter=solved),
        mttr_mean=Avg("resolution_minutes", filter=solved),
        **{g: Count("id", filter=Q(first_response_grade=g)) for g in GRADES},
    )
    out = {r["k"]: r for r in rows}
    ranked = keyed.annotate(
        frt=F("first_response_minutes"),
        cal=MinutesBetween("created_at", "first_response_at"),
        res=Case(When(solved, then=F("resolution_minutes"))),
    )
    pct = nearest_ranks(ranked, "k", ["frt", "cal", "res"], [50, 90])
    for k, r in out.items():
        r["pct"] = {name: pct[name].get(k, {}) for name in ("frt", "cal", "res")}
    return out


def backlog_at(
    team: Team, instants: Sequence[datetime], by: str | None = None
) -> list[dict[Any, int]]:
    """Open items at each instant (sorted), per value of column `by` (or None)."""
    if not instants:
        return []
    alive = Ticket.objects.filter(team_id=team.pk, merged_into__isnull=True)
    group = ["j", by] if by else ["j"]
    arrived = (
        alive.filter(created_at__lte=instants[-1])
        .annotate(j=upto_key("created_at", instants))
        .values(*group)
        .annotate(n=Count("id"))
    )
    left = (
        alive.annotate(resolved=Coalesce("solved_at", "closed_at"))
        .filter(resolved__lte=instants[-1])
        .annotate(j=upto_key("resolved", instants))
        .values(*group)
        .annotate(n=Count("id"))
    )
    delta: list[dict[Any, int]] = [defaultdict(int) for _ in instants]
    for sign, rows in ((1, arrived), (-1, left)):
        for r in rows:
            delta[r["j"]][r[by] if by else None] += sign * r["n"]
    out: list[dict[Any, int]] = []
    running: dict[Any, int] = defaultdict(int)
    for step in delta:
        for k, n in step.items():
            running[k] += n
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
    figs = _figures(
        cohort(team, start, end), segment_key("created_at", part.bounds, part.owners), now
    )
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
    figs = _figures(cohort(team, start, end), F(by), now)
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
    try:
        return str(Channel(value).label)
    except ValueError:
        return str(value)


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
