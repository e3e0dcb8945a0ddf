"""Reports per team: aggregates computed in SQL over indexed columns.

The definitions live in `herodesk.domain.reports`; this module computes the
same figures in the database (the tests recompute them from the tickets with
the domain's reference `row`). A report is a fixed number of statements
whatever the number of tickets or periods: the aggregates (`sql.py`), per
figure the bucket counts and the ranked values (`ranks.py`, SQLite), and the
arrivals (those the aggregates did not count), resolutions and reopenings
behind the backlog (`backlog.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from herodesk.domain import reports as d
from herodesk.domain.tiers import Tier
from herodesk.lib import channels
from herodesk.lib.errors import Invalid
from herodesk.reports import ranks, sql
from herodesk.reports.backlog import backlog_steps, running
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
    if group_by in ("week", "hero_week"):
        rows = _time_rows(team, start, end, group_by, now)
    else:
        rows = _dimension_rows(team, start, end, group_by, now)
    return Report(team, start, end, group_by, now, rows)


PERCENTS = (50, 90)


def _figures(
    src: sql.Source, now: datetime, counted: list[sql.Counted] | None = None
) -> dict[Any, tuple[dict[str, Any], dict[str, Any]]]:
    """Per key: (aggregates, {figure: {p: value}}); a time grouping's arrivals
    into `counted` when given (see `sql.aggregates`)."""
    if sql.ordered_set_percentiles():  # one pass (PostgreSQL)
        aggs = sql.aggregates(src, now, PERCENTS, counted)
        return {k: (a, a.pop("pct")) for k, a in aggs.items()}
    aggs = sql.aggregates(src, now, counted=counted)
    pct = ranks.percentiles(src, PERCENTS, sorted(aggs))
    return {k: (a, {name: pct[name].get(k, {}) for name in pct}) for k, a in aggs.items()}


def backlog_at(
    team: Team,
    instants: Sequence[datetime],
    by: str | None = None,
    counted: Sequence[sql.Counted] | None = None,
) -> list[dict[Any, int]]:
    """Open items at each instant (sorted), per value of column `by` (or None):
    arrivals less resolutions, with the solves that a reopening undid, counted
    per interval between the instants. `counted`: arrivals already counted
    (the aggregates'), not counted again."""
    if not instants:
        return []
    steps = backlog_steps(team.pk, instants, by, counted)
    return running(steps, len(instants), by)


# ----- rows -------------------------------------------------------------------


def _row(fig: tuple[dict[str, Any], dict[str, Any]] | None, backlog: int) -> d.Row:
    if fig is None:
        return d.Row(0, 0, None, None, None, d.Attainment(), 0, 0, None, None, None, backlog)
    a, pct = fig
    timed, replies = int(a["res_count"] or 0), int(a["next_replies"] or 0)
    return d.Row(
        created=int(a["created"]),
        first_responses=int(a["first_responses"]),
        frt_p50=pct["frt"].get(50),
        frt_p90=pct["frt"].get(90),
        frt_calendar_p50=pct["cal"].get(50),
        attainment=d.Attainment(**{g: int(a[g] or 0) for g in GRADES}),
        breaches=int(a["breaches"] or 0),
        solved=int(a["solved"] or 0),
        mttr_mean=float(a["res_sum"]) / timed if timed else None,
        mttr_p50=pct["res"].get(50),
        mttr_p90=pct["res"].get(90),
        backlog_end=backlog,
        next_replies=replies,
        nrt_mean=float(a["next_reply_minutes"]) / replies if replies else None,
        nrt_calendar_mean=(float(a["next_reply_calendar_minutes"]) / replies if replies else None),
    )


def _time_rows(
    team: Team, start: datetime, end: datetime, group_by: str, now: datetime
) -> list[ReportRow]:
    part = periods(team, start, end, group_by)
    pieces = [(i, a, b) for i, p in enumerate(part.periods) for a, b in p.pieces]
    counted: list[sql.Counted] = []
    figs = _figures(sql.Source(team.pk, pieces=pieces), now, counted)
    ends = sorted({min(p.end, now) for p in part.periods})
    counts = backlog_at(team, ends, counted=counted)
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
    figs = _figures(sql.Source(team.pk, column=by, start=start, end=end), now)
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
    if p.person is None:  # one row for every uncovered span: say how many and how long
        hours = sum(((hi - lo) for lo, hi in p.pieces), timedelta()) / timedelta(hours=1)
        gaps = len(p.pieces)
        return f"Nobody on duty · {gaps} gap{'' if gaps == 1 else 's'}, {hours:.3g} h in all"
    return f"{names.get(p.person, p.person)} · {a.day} {a:%b} – {b.day} {b:%b %Y}"


def _display_names(usernames: set[str]) -> dict[str, str]:
    users = get_user_model().objects.filter(username__in=usernames)
    return {u.get_username(): u.get_full_name() or u.get_username() for u in users}
