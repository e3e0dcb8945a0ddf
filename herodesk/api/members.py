"""Team membership: `GET/PUT/DELETE /api/v1/teams/{slug}/members/{username}`."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from herodesk.api.tickets import ERRORS, get_team
from herodesk.lib.errors import NotFound
from herodesk.rotations.actions import membership_remove
from herodesk.teams import access
from herodesk.teams.actions import membership_set
from herodesk.teams.models import Membership, Person

router = Router(tags=["teams"])


class MemberOut(Schema):
    team: str
    username: str
    name: str
    role: str
    active: bool


class MemberIn(Schema):
    role: Literal["lead", "member"]


def member_out(m: Membership) -> dict[str, Any]:
    user = m.person.user
    return {
        "team": m.team.slug,
        "username": user.username,
        "name": user.get_full_name(),
        "role": m.role,
        "active": user.is_active,
    }


def _person(username: str) -> Person:
    person = Person.objects.select_related("user").filter(user__username=username).first()
    if person is None:
        raise NotFound(f"no person {username!r}")
    return person


def _membership(slug: str, username: str) -> Membership:
    row = (
        Membership.objects.select_related("team", "person__user")
        .filter(team__slug=slug, person__user__username=username)
        .first()
    )
    if row is None:
        raise NotFound(f"{username} is not a member of {slug}")
    return row


@router.get("/teams/{slug}/members", response={200: list[MemberOut], **ERRORS})
def list_members(request: HttpRequest, slug: str) -> Any:
    access.require_agent(request.user)
    team = get_team(slug)
    rows = Membership.objects.filter(team=team).select_related("team", "person__user")
    return [member_out(m) for m in rows.order_by("person__user__username")]


@router.get("/teams/{slug}/members/{username}", response={200: MemberOut, **ERRORS})
def get_member(request: HttpRequest, slug: str, username: str) -> Any:
    access.require_agent(request.user)
    return member_out(_membership(slug, username))


@router.put("/teams/{slug}/members/{username}", response={200: MemberOut, **ERRORS})
def put_member(request: HttpRequest, slug: str, username: str, payload: MemberIn) -> Any:
    """Admins and the team's leads add someone (or change their role)."""
    team = get_team(slug)
    access.require_team_admin(request.user, team)
    membership_set(team, _person(username), role=payload.role, actor=request.user)
    return member_out(_membership(slug, username))


@router.delete("/teams/{slug}/members/{username}", response={204: None, **ERRORS})
def delete_member(request: HttpRequest, slug: str, username: str) -> Any:
    """Take someone off the team (409 while they are in its rotation)."""
    team = get_team(slug)
    access.require_team_admin(request.user, team)
    row = _membership(slug, username)
    membership_remove(team, row.person, actor=request.user)
    return Status(204, None)
