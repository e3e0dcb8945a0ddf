"""People: the directory, invitations, a person's page (edit, invite again,
deactivate with a preview of the shifts that move, reactivate).

Admins manage everyone; a team lead invites into their team and edits its
members' details; everyone edits their own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from herodesk.lib.errors import ActionError, Forbidden
from herodesk.notify.models import Delivery
from herodesk.rotations import actions as rotation_actions
from herodesk.teams import access
from herodesk.teams import actions as team_actions
from herodesk.teams.models import Invitation, Person, Team
from herodesk.web.views.common import desk_view, fail, page


def _person(username: str) -> Person:
    person = Person.objects.select_related("user").filter(user__username=username).first()
    if person is None:
        raise Http404(f"no person {username}")
    return person


def invite_teams(user: Any) -> list[Team]:
    """Teams `user` may invite into (admins: every team; leads: theirs)."""
    teams = Team.objects.filter(archived_at=None).order_by("name")
    return [t for t in teams if access.can_admin_team(user, t)]


def can_edit(user: Any, person: Person) -> bool:
    if access.is_admin(user) or user.pk == person.user_id:
        return True
    return any(access.can_admin_team(user, m.team) for m in person.memberships.all())


def _invitation_state(person: Person, now: Any) -> dict[str, Any] | None:
    row = Invitation.objects.filter(person=person).order_by("-created_at", "-id").first()
    if row is None:
        return None
    mail = Delivery.objects.filter(key=f"invitation:{row.pk}").first()
    return {"row": row, "state": row.state(now), "email": mail.status if mail else "missing"}


@desk_view
def people_page(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    people = Person.objects.select_related("user").prefetch_related("memberships__team")
    rows = [(p, _invitation_state(p, now)) for p in people.order_by("user__username")]
    return page(
        request,
        "web/people/list.html",
        {
            "rows": rows,
            "teams": invite_teams(request.user),
            "is_admin": access.is_admin(request.user),
        },
    )


@desk_view
@require_POST
def person_invite(request: HttpRequest) -> HttpResponse:
    slug = request.POST.get("team", "")
    team = Team.objects.filter(slug=slug).first() if slug else None
    allowed = access.is_admin(request.user) or (team and access.can_admin_team(request.user, team))
    if not allowed:
        raise Forbidden("Only an admin, or a lead inviting into their team, can invite people.")
    back = request.POST.get("next") or reverse("people")
    try:
        person, _ = team_actions.person_invite(
            email=request.POST.get("email", ""),
            name=request.POST.get("name", ""),
            time_zone=request.POST.get("time_zone") or "Europe/London",
            team=team,
            role=request.POST.get("role", "member"),
            actor=request.user,
        )
    except ActionError as exc:
        return fail(request, exc, back)
    messages.success(
        request,
        f"Invitation for {person.user.email} queued: the email goes out with the next "
        "outbox run; its link works once.",
    )
    return redirect(back)


@desk_view
def person_page(request: HttpRequest, username: str) -> HttpResponse:
    person = _person(username)
    if request.method == "POST":
        return _save(request, person)
    context = {
        "person": person,
        "memberships": person.memberships.select_related("team").order_by("team__name"),
        "editable": can_edit(request.user, person),
        "is_admin": access.is_admin(request.user),
        "invitation": _invitation_state(person, timezone.now()),
        "can_invite": bool(access.is_admin(request.user) or invite_teams(request.user)),
    }
    return page(request, "web/people/person.html", context)


def _save(request: HttpRequest, person: Person) -> HttpResponse:
    user, back = request.user, reverse("person", args=[person.user.username])
    if not can_edit(user, person):
        raise Forbidden("Only an admin, the person or their team lead can change this.")
    admin = access.is_admin(user)
    data = request.POST
    try:
        with transaction.atomic():
            team_actions.person_update(
                person,
                actor=user,
                name=data.get("name"),
                slack_user_id=data.get("slack_user_id"),
                email=data.get("email") if admin else None,
                kind=data.get("kind") if admin else None,
                is_admin=(data.get("admin") == "on")
                if admin and user.pk != person.user_id
                else None,
            )
            rotation_actions.person_set_hours(person, actor=user, time_zone=data.get("time_zone"))
    except ActionError as exc:
        return fail(request, exc, back)
    messages.success(request, "Saved.")
    return redirect(back)


@desk_view
@require_POST
def person_invite_again(request: HttpRequest, username: str) -> HttpResponse:
    person, back = _person(username), reverse("person", args=[username])
    if not can_edit(request.user, person) or request.user.pk == person.user_id:
        raise Forbidden("Only an admin or their team lead can send a new invitation.")
    try:
        team_actions.invitation_create(person, actor=request.user)
    except ActionError as exc:
        return fail(request, exc, back)
    messages.success(request, "A new invitation is queued; the earlier link no longer works.")
    return redirect(back)


def _report(person: Person, actor: Any) -> list[Any]:
    return rotation_actions.preview(lambda: rotation_actions.person_deactivate(person, actor=actor))


@desk_view
def person_deactivate(request: HttpRequest, username: str) -> HttpResponse:
    """GET: what deactivating would do (nothing written). POST: do it."""
    person, back = _person(username), reverse("person", args=[username])
    if not access.is_admin(request.user):
        raise Forbidden("Only an admin can deactivate someone.")
    try:
        if request.method != "POST":
            shifts = _report(person, request.user)
            return page(request, "web/people/deactivate.html", {"person": person, "shifts": shifts})
        shifts = rotation_actions.person_deactivate(person, actor=request.user)
    except ActionError as exc:
        return fail(request, exc, back)
    gaps = sum(1 for s in shifts if s.uncovered)
    note = f" {gaps} shift{'s' if gaps != 1 else ''} now have nobody on call." if gaps else ""
    messages.success(request, f"{person.display_name} is deactivated.{note}")
    return redirect(back)


@desk_view
@require_POST
def person_reactivate(request: HttpRequest, username: str) -> HttpResponse:
    person, back = _person(username), reverse("person", args=[username])
    if not access.is_admin(request.user):
        raise Forbidden("Only an admin can reactivate someone.")
    try:
        rotation_actions.person_reactivate(person, actor=request.user)
    except ActionError as exc:
        return fail(request, exc, back)
    messages.success(
        request, f"{person.display_name} is active again (add them to rotations as needed)."
    )
    return redirect(back)
