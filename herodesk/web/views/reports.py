"""The reports page (SPEC §10): a team, a date range and a grouping; charts
where a picture reads faster, each with its numbers in a table, and the
hero-week table. All figures come from `herodesk.reports` (docs/reports.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from herodesk.lib.errors import Invalid
from herodesk.reports import export, queries
from herodesk.teams import access
from herodesk.teams.models import Team
from herodesk.web import charts
from herodesk.web.views.common import desk_view, page

GROUP_LABELS = {
    "week": "Week",
    "hero_week": "Hero-week",
    "channel": "Channel",
    "tier": "Tier",
}
GRADE_COLORS = {
    "great": "#009E73",
    "okay": "#56B4E9",
    "slow": "#E69F00",
    "too_late": "#D55E00",
}
GRADE_LABELS = {"great": "Great", "okay": "Okay", "slow": "Slow", "too_late": "Too late"}


def _team(request: HttpRequest, teams: list[Team]) -> Team | None:
    slug = request.GET.get("team")
    if slug:
        for t in teams:
            if t.slug == slug:
                return t
        raise Invalid(f"there is no team {slug!r}", field="team")
    mine = access.team_ids(request.user)
    return next((t for t in teams if t.pk in mine), teams[0] if teams else None)


def _range(request: HttpRequest, team: Team, now: datetime) -> tuple[datetime, datetime]:
    """Local dates from the form: [start 00:00, end + 1 day 00:00) in the team's zone."""
    tz = team.calendar().tz
    today = now.astimezone(tz).date()
    try:
        end_day = date.fromisoformat(request.GET["end"]) if request.GET.get("end") else today
        start_day = (
            date.fromisoformat(request.GET["start"])
            if request.GET.get("start")
            else end_day - timedelta(weeks=12) + timedelta(days=1)
        )
    except ValueError:
        raise Invalid("dates must look like 2026-03-02", field="start") from None
    start = datetime(start_day.year, start_day.month, start_day.day, tzinfo=tz)
    nxt = end_day + timedelta(days=1)
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz)
    queries.check_range(start, end)
    return start, end


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def hero_week_rows(report: queries.Report) -> list[dict[str, Any]]:
    out = []
    for r in report.rows:
        f = r.figures
        total = f.attainment.total
        out.append(
            {
                "row": r,
                "figures": f,
                "great": _percent(f.attainment.great, total),
                "okay": _percent(f.attainment.okay, total),
            }
        )
    return out


MY_WEEKS = timedelta(weeks=8)


def my_hero_weeks(user: Any, now: datetime) -> list[dict[str, Any]]:
    """The user's own hero-weeks of the last eight weeks, on every team of theirs."""
    username = user.get_username()
    out = []
    for team in Team.objects.filter(memberships__person__user=user).order_by("name"):
        report = queries.report(team, now - MY_WEEKS, now, "hero_week", now=now)
        for hw in hero_week_rows(report):
            if hw["row"].hero == username:
                out.append({**hw, "team": team})
    out.sort(key=lambda hw: hw["row"].start, reverse=True)
    return out


def _charts(weeks: queries.Report, channels: queries.Report) -> list[dict[str, Any]]:
    labels = [r.label.removeprefix("Week of ") for r in weeks.rows]
    frt50 = [export.minutes(r.figures.frt_p50) for r in weeks.rows]
    frt90 = [export.minutes(r.figures.frt_p90) for r in weeks.rows]
    grades = {g: [getattr(r.figures.attainment, g) for r in weeks.rows] for g in GRADE_COLORS}
    backlog = [r.figures.backlog_end for r in weeks.rows]
    by_channel = sorted(channels.rows, key=lambda r: -r.figures.created)
    return [
        {
            "id": "frt",
            "title": "First response time per week (working minutes)",
            "svg": charts.line_chart(
                "First response time per week",
                "Median (p50) and 90th percentile of first-response times in working minutes, "
                "one point per week.",
                labels,
                [charts.Series("p50", frt50), charts.Series("p90", frt90)],
                unit="working min",
            ),
            "head": ["Week", "p50 (min)", "p90 (min)"],
            "rows": [[lab, a, b] for lab, a, b in zip(labels, frt50, frt90, strict=True)],
        },
        {
            "id": "attainment",
            "title": "First responses by grade per week",
            "svg": charts.stacked_bars(
                "First responses by grade per week",
                "How many first responses were great, okay, slow or too late, stacked per week.",
                labels,
                [charts.Series(GRADE_LABELS[g], v, GRADE_COLORS[g]) for g, v in grades.items()],
            ),
            "head": ["Week", *GRADE_LABELS.values()],
            "rows": [[lab, *(grades[g][i] for g in grades)] for i, lab in enumerate(labels)],
        },
        {
            "id": "volume",
            "title": "Arrivals by channel",
            "svg": charts.bar_chart(
                "Arrivals by channel",
                "Tickets that arrived in the range, per channel.",
                [r.label for r in by_channel],
                [r.figures.created for r in by_channel],
            ),
            "head": ["Channel", "Arrived"],
            "rows": [[r.label, r.figures.created] for r in by_channel],
        },
        {
            "id": "backlog",
            "title": "Backlog at the end of each week",
            "svg": charts.line_chart(
                "Backlog at the end of each week",
                "Open tickets (new, open or pending) at the end of each week.",
                labels,
                [charts.Series("open items", backlog)],
            ),
            "head": ["Week", "Open at the end"],
            "rows": [[lab, n] for lab, n in zip(labels, backlog, strict=True)],
        },
    ]


@desk_view
def reports_page(request: HttpRequest) -> HttpResponse:
    teams = list(Team.objects.order_by("name"))
    context: dict[str, Any] = {"teams": teams, "group_labels": GROUP_LABELS}
    context["group_by"] = request.GET.get("group_by") or "week"
    try:
        context["team"] = team = _team(request, teams)
        if team is not None:
            context.update(_report_context(team, request, context["group_by"]))
    except Invalid as exc:
        context["error"] = exc.message
        return page(request, "web/reports.html", context, status=400)
    return page(request, "web/reports.html", context)


def _report_context(team: Team, request: HttpRequest, group_by: str) -> dict[str, Any]:
    now = timezone.now()
    start, end = _range(request, team, now)
    queries.check_range(start, end, group_by)
    reports = {g: queries.report(team, start, end, g, now=now) for g in ("week", "channel")}
    reports["hero_week"] = queries.report(team, start, end, "hero_week", now=now)
    if group_by not in reports:
        reports[group_by] = queries.report(team, start, end, group_by, now=now)
    query = {"team": team.slug, "start": start.isoformat(), "end": end.isoformat()}
    # The chart module escapes every text it draws: its SVG is safe to insert.
    drawn = [
        {**c, "svg": mark_safe(c["svg"])}  # noqa: S308
        for c in _charts(reports["week"], reports["channel"])
    ]
    return {
        "start_day": start.date().isoformat(),
        "end_day": (end - timedelta(days=1)).date().isoformat(),
        "zone": team.time_zone,
        "now": now,
        "arrived": sum(r.figures.created for r in reports["week"].rows),
        "charts": drawn,
        "hero_weeks": hero_week_rows(reports["hero_week"]),
        "has_rotation": any(r.hero for r in reports["hero_week"].rows),
        "table": reports[group_by],
        "csv_url": "/api/v1/reports.csv?" + urlencode({**query, "group_by": group_by}),
        "tickets_csv_url": "/api/v1/reports/tickets.csv?" + urlencode(query),
    }
