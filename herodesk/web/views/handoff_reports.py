"""Hand-off report pages: a team's reports and one report. Agents only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from herodesk.lib.errors import Invalid, NotFound
from herodesk.notify import common, queries
from herodesk.teams import access
from herodesk.teams.models import Team


def _team(slug: str) -> Team:
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise Http404(f"no team {slug}")
    return team


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/forbidden.html",
        {"message": "This account has no staff profile on the desk."},
        status=403,
    )


@require_safe
@login_required
def handoff_list(request: HttpRequest, slug: str) -> HttpResponse:
    if not access.is_agent(request.user):
        return _forbidden(request)
    team = _team(slug)
    before = request.GET.get("before", "")
    try:
        rows = queries.handoffs(team, limit=50, before=int(before) if before.isdigit() else None)
    except Invalid as exc:
        return render(request, "web/error.html", {"message": exc.message}, status=400)
    return render(
        request,
        "notify/handoffs.html",
        {
            "team": team,
            "reports": rows,
            "zone": common.zone_of_user(request.user, team.time_zone),
            "next_before": rows[-1].pk if len(rows) == 50 else None,
        },
    )


@require_safe
@login_required
def handoff_detail(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    if not access.is_agent(request.user):
        return _forbidden(request)
    team = _team(slug)
    try:
        report = queries.handoff(team, report_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return render(
        request,
        "notify/handoff_report.html",
        {
            "team": team,
            "report": report,
            "zone": common.zone_of_user(request.user, team.time_zone),
        },
    )
