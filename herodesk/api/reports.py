"""Report endpoints (SPEC §10): JSON, the same rows as CSV, one CSV line per ticket.

    GET /api/v1/reports?team=SLUG&start=ISO&end=ISO&group_by=week|hero_week|channel|tier
    GET /api/v1/reports.csv?…           the same rows, a header line and one line per key
    GET /api/v1/reports/tickets.csv?…   one line per ticket with its figures

Agents read every team's reports, as they read every team's queue.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema

from herodesk.api import schemas as s
from herodesk.lib.errors import NotFound
from herodesk.reports import export, queries
from herodesk.teams import access
from herodesk.teams.models import Team

router = Router(tags=["reports"])
ERRORS: dict[int, type] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}


class ReportParams(Schema):
    team: str
    start: str | None = None
    end: str | None = None
    group_by: str = "week"


class AttainmentOut(Schema):
    great: int
    okay: int
    slow: int
    too_late: int


class RowOut(Schema):
    key: str
    label: str
    start: str | None
    end: str | None
    hero: str | None
    created: int
    first_responses: int
    frt_p50: float | None
    frt_p90: float | None
    frt_calendar_p50: float | None
    attainment: AttainmentOut
    breaches: int
    solved: int
    mttr_mean: float | None
    mttr_p50: float | None
    mttr_p90: float | None
    backlog_end: int
    next_replies: int
    nrt_mean: float | None
    nrt_calendar_mean: float | None


class ReportOut(Schema):
    team: str
    start: str
    end: str
    group_by: str
    time_zone: str
    generated_at: str
    rows: list[RowOut]


def _team(request: HttpRequest, slug: str) -> Team:
    access.require_agent(request.user)
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise NotFound(f"no team {slug!r}", field="team")
    return team


def _report(request: HttpRequest, p: ReportParams) -> queries.Report:
    team = _team(request, p.team)
    now = timezone.now()
    start, end = queries.resolve_range(team, p.start, p.end, now)
    return queries.report(team, start, end, p.group_by, now=now)


def _csv(chunks: Any, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/reports", response={200: ReportOut, **ERRORS})
def report(request: HttpRequest, params: Query[ReportParams]) -> Any:
    """A team's figures per week, hero-week, channel or tier: response times in
    working minutes, attainment counts, breaches, MTTR and backlog (docs/reports.md)."""
    return export.report_dict(_report(request, params))


@router.get("/reports.csv", response={200: None, **ERRORS})
def report_csv(request: HttpRequest, params: Query[ReportParams]) -> Any:
    """The same rows as /reports, as CSV (attainment in four columns)."""
    rep = _report(request, params)
    name = f"herodesk-{rep.team.slug}-{rep.group_by}-{rep.start:%Y%m%d}-{rep.end:%Y%m%d}.csv"
    return _csv(export.report_csv(rep), name)


@router.get("/reports/tickets.csv", response={200: None, **ERRORS})
def tickets_csv(request: HttpRequest, params: Query[ReportParams]) -> Any:
    """One line per ticket that arrived in the range, with its own figures and hero-week."""
    team = _team(request, params.team)
    start, end = queries.resolve_range(team, params.start, params.end, timezone.now())
    return _csv(export.tickets_csv(team, start, end), f"herodesk-{team.slug}-tickets.csv")
