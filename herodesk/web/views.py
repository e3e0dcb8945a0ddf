"""Pages of the hero's desk. Thin: check roles, call queries, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from herodesk.errors import Invalid
from herodesk.teams import access
from herodesk.teams.models import Team
from herodesk.tickets import queries


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "web/forbidden.html", status=403)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("queue")


@login_required
def queue_page(request: HttpRequest, team: str | None = None) -> HttpResponse:
    """A team's queue: every open item, tier → due time → age."""
    if not access.is_agent(request.user):
        return _forbidden(request)
    teams = list(Team.objects.all())
    if team is None:
        mine = access.team_ids(request.user)
        chosen = next((t for t in teams if t.pk in mine), teams[0] if teams else None)
        if chosen is None:
            return render(request, "web/queue.html", {"teams": [], "rows": []})
        return redirect("team_queue", team=chosen.slug)
    current = next((t for t in teams if t.slug == team), None)
    if current is None:
        raise Http404(f"no team {team}")
    view = request.GET.get("view", "team")
    now = timezone.now()
    try:
        rows, next_cursor = queries.queue(view=view, team=current, user=request.user, now=now,
                                          limit=100, cursor=request.GET.get("cursor"))
    except Invalid as exc:
        return render(request, "web/error.html", {"message": exc.message}, status=400)
    return render(request, "web/queue.html", {
        "teams": teams, "team": current, "rows": rows, "view": view, "now": now,
        "next_cursor": next_cursor, "views": queries.QUEUE_VIEWS,
        "counts": queries.queue_counts(current, request.user, now),
    })
