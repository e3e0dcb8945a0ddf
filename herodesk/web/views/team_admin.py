"""Teams without the admin: create (admins), members and roles (admins and the
team's leads), archive (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from herodesk.lib.errors import ActionError, Forbidden
from herodesk.rotations import actions as rotation_actions
from herodesk.teams import access
from herodesk.teams import actions as team_actions
from herodesk.teams.models import Membership, Person, Team
from herodesk.web.views.common import desk_view, fail, page
from herodesk.web.views.directory import invite_teams


def _team(request: HttpRequest, slug: str) -> Team:
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise Http404(f"no team {slug}")
    access.require_team_admin(request.user, team)
    return team


@desk_view
def team_new(request: HttpRequest) -> HttpResponse:
    if not access.is_admin(request.user):
        raise Forbidden("Only an admin can create a team.")
    if request.method == "POST":
        data = request.POST
        try:
            team = team_actions.team_create(
                slug=data.get("slug", ""),
                name=data.get("name", ""),
                time_zone=data.get("time_zone") or "Europe/London",
                actor=request.user,
            )
        except ActionError as exc:
            return fail(request, exc, reverse("team_new"))
        messages.success(request, f"{team.name} is created. Add its members next.")
        return redirect("team_members", slug=team.slug)
    teams = Team.objects.order_by("name")
    return page(request, "web/settings/team_new.html", {"teams": teams})


@desk_view
def members_page(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    rows = team.memberships.select_related("person__user").order_by("person__user__username")
    on_team = {m.person_id for m in rows}
    others = Person.objects.select_related("user").filter(user__is_active=True)
    context = {
        "team": team,
        "rows": rows,
        "others": [p for p in others.order_by("user__username") if p.pk not in on_team],
        "is_admin": access.is_admin(request.user),
        "teams": invite_teams(request.user),
    }
    return page(request, "web/settings/members.html", context)


@desk_view
@require_POST
def member_set(request: HttpRequest, slug: str) -> HttpResponse:
    team, back = _team(request, slug), reverse("team_members", args=[slug])
    username = request.POST.get("username", "")
    person = Person.objects.select_related("user").filter(user__username=username).first()
    if person is None:
        messages.error(request, f"No person {username!r}; invite them by email instead.")
        return redirect(back)
    try:
        team_actions.membership_set(
            team, person, role=request.POST.get("role", Membership.MEMBER), actor=request.user
        )
    except ActionError as exc:
        return fail(request, exc, back)
    messages.success(
        request, f"{person.display_name} is a {request.POST.get('role', 'member')} of {team.name}."
    )
    return redirect(back)


@desk_view
@require_POST
def member_remove(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    team, back = _team(request, slug), reverse("team_members", args=[slug])
    row = (
        team.memberships.select_related("person__user")
        .filter(person__user__username=username)
        .first()
    )
    if row is None:
        raise Http404(f"{username} is not on {team.name}")
    try:
        rotation_actions.membership_remove(team, row.person, actor=request.user)
    except ActionError as exc:
        return fail(request, exc, back)
    messages.success(request, f"{row.person.display_name} is no longer on {team.name}.")
    return redirect(back)


@desk_view
@require_POST
def team_archive(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    if not access.is_admin(request.user):
        raise Forbidden("Only an admin can archive a team.")
    archived = request.POST.get("archived") == "yes"
    team_actions.team_set_archived(team, actor=request.user, archived=archived)
    messages.success(
        request,
        f"{team.name} is archived: its tickets and history stay."
        if archived
        else f"{team.name} is active again.",
    )
    return redirect("team_members", slug=slug)
