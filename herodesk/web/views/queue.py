"""The queue: a team's open items, tier → due time → age, with views,
filters, search and bulk actions. A fixed number of queries per page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from herodesk.lib import channels
from herodesk.lib.errors import Invalid
from herodesk.lib.prepared import Prepared
from herodesk.teams import access
from herodesk.teams.models import Team
from herodesk.tickets import queries, queue_tabs
from herodesk.tickets.actions import bulk
from herodesk.web import people, search
from herodesk.web import rows as rows_module
from herodesk.web.views.common import desk_view, is_htmx, next_url, page

# The sidebar and the page read a team's slug and name (and its id): not its
# hours, holidays and targets (JSON decoded per team per page). Compiled once.
_TEAMS = Prepared(Team, lambda: Team.objects.only("slug", "name"))
UNROUTED = "unrouted"
PAGE_SIZE = 50
VIEW_LABELS = {
    "team": "Team",
    "mine": "Mine",
    "unassigned": "Unassigned",
    "breaching": "Breaching soon",
    "overdue": "Overdue",
    "pending": "Pending",
}
MINE = "mine"  # /queue/mine/: my tickets on every team
TIER_CHOICES = [
    (0, "T0 Alert"),
    (1, "T1 CS escalation"),
    (2, "T2 High"),
    (3, "T3 Normal"),
    (4, "T4 Community"),
    (5, "T5 Low"),
]


@desk_view
def home(request: HttpRequest) -> HttpResponse:
    return redirect("queue")


@desk_view
def queue_page(request: HttpRequest, team: str | None = None) -> HttpResponse:
    """A team's queue (or the unrouted one)."""
    teams = _TEAMS.all()
    if team is None:
        mine = access.team_ids(request.user)
        chosen = next((t for t in teams if t.pk in mine), teams[0] if teams else None)
        if chosen is None:
            return page(request, "web/queue.html", {"teams": [], "rows": [], "views": []})
        return redirect("team_queue", team=chosen.slug)
    current = next((t for t in teams if t.slug == team), None)
    if current is None and team not in (UNROUTED, MINE):
        raise Http404(f"no team {team}")
    view = MINE if team == MINE else request.GET.get("view", "team")
    now = timezone.now()
    try:
        filters = search.QueueFilters.parse(request.GET)
        rows, next_cursor = queries.queue(
            view=view, team=current, user=request.user, now=now, limit=PAGE_SIZE,
            cursor=request.GET.get("cursor"), unrouted=team == UNROUTED,
            where=filters.where(), columns=rows_module.QUEUE_COLUMNS,
        )  # fmt: skip
    except Invalid as exc:
        return page(request, "web/error.html", {"message": exc.message}, status=400)
    context: dict[str, Any] = {
        "teams": teams, "team": current, "slug": team, "rows": rows, "view": view, "now": now,
        "next_cursor": next_cursor, "filters": filters,
        "more_qs": filters.query_string(view=view, cursor=next_cursor),
    }  # fmt: skip
    if is_htmx(request) and request.GET.get("cursor"):
        return page(request, "web/queue/_rows.html", context)
    context.update(_page_extras(request, current, view, now, all_teams=team == MINE))
    template = "web/queue/_results.html" if is_htmx(request) else "web/queue.html"
    return page(request, template, context)


def _page_extras(
    request: HttpRequest, current: Any, view: str, now: Any, *, all_teams: bool = False
) -> dict[str, Any]:
    """Tabs with counts, filter choices, bulk-assign people, write access."""
    user = request.user
    if all_teams:
        views = [(MINE, "Mine, all teams", queue_tabs.mine_count(user))]
    else:
        counts = (queue_tabs.queue_counts(current, user, now) if current
                  else search.unrouted_counts(user, now))  # fmt: skip
        views = [(v, VIEW_LABELS[v], counts.get(v, 0)) for v in queries.QUEUE_VIEWS]
    return {
        "views": views,
        "view_label": VIEW_LABELS.get(view, view),
        "tier_choices": TIER_CHOICES,
        "channel_choices": channels.choices(),
        "assignees": people.team_members(current),
        "can_write": current is None or access.is_admin(user)
        or current.pk in access.team_ids(user),
    }  # fmt: skip


def _selected(request: HttpRequest) -> list[int]:
    ids = []
    for raw in request.POST.getlist("ticket"):
        if not raw.isdigit() or len(raw) > 18:
            raise Invalid(f"ticket {raw!r} is not a ticket number", field="tickets")
        ids.append(int(raw))
    return ids


def _summary(result: bulk.BulkResult, verb: str) -> tuple[int, str]:
    text = f"{len(result.done)} ticket{'s' if len(result.done) != 1 else ''} {verb}."
    if result.skipped:
        reasons = "; ".join(f"#{pk}: {why}" for pk, why in result.skipped[:5])
        more = f" (+{len(result.skipped) - 5} more)" if len(result.skipped) > 5 else ""
        return messages.WARNING, f"{text} Skipped {len(result.skipped)} — {reasons}{more}"
    return messages.SUCCESS, text


@require_POST
@desk_view
def queue_bulk(request: HttpRequest, team: str) -> HttpResponse:
    """Bulk close (T5 only, no public reply) or bulk assign the selected tickets."""
    back = next_url(request, reverse("team_queue", args=[team]))
    action = request.POST.get("action", "")
    try:
        ids = _selected(request)
        if action == "close":
            level, text = _summary(bulk.tickets_bulk_close(ids, request.user), "closed")
        elif action == "assign":
            who = request.POST.get("assignee", "")
            assignee = (
                None
                if who == "-"
                else people.staff_user(request.user.get_username() if who == "me" else who)
            )
            if assignee is None and who != "-":
                raise Invalid("pick someone to assign the tickets to", field="assignee")
            level, text = _summary(
                bulk.tickets_bulk_assign(ids, assignee, request.user),
                "assigned" if assignee else "unassigned",
            )
        else:
            raise Invalid("action must be close or assign", field="action")
    except Invalid as exc:
        level, text = messages.ERROR, exc.message
    messages.add_message(request, level, text)
    return redirect(back)


@desk_view
def search_page(request: HttpRequest) -> HttpResponse:
    """Full-text search over every ticket and its messages, any status."""
    text = (request.GET.get("q") or "").strip()
    teams = _TEAMS.all()
    slug = request.GET.get("team", "")
    team: Any = next((t for t in teams if t.slug == slug), None) if slug else None
    status = request.GET.get("status", "")
    try:
        found = search.search_tickets(
            text, team=team, status=status, cursor=request.GET.get("cursor", "")
        )
    except Invalid as exc:
        return page(request, "web/error.html", {"message": exc.message}, status=400)
    return page(
        request,
        "web/search.html",
        {
            "q": text,
            "rows": [(t, found.snippets.get(t.pk)) for t in found.rows],
            "next_cursor": found.next_cursor,
            "capped": found.capped,
            "window": search.RANK_WINDOW,
            "more": bool(request.GET.get("cursor")),
            "teams": teams,
            "team": team,
            "status": status,
            "now": timezone.now(),
            "statuses": ["new", "open", "pending", "solved", "closed"],
        },
    )
