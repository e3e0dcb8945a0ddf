"""Teams and the current user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from herodesk.api import schemas as s
from herodesk.api.tickets import ERRORS, get_team
from herodesk.lib.errors import Forbidden
from herodesk.rotations.actions import team_delete
from herodesk.teams import access
from herodesk.teams.actions import team_create, team_set_archived, team_update
from herodesk.teams.models import Membership, Team

router = Router(tags=["teams"])


def team_out(team: Team) -> dict[str, Any]:
    memberships = list(team.memberships.all())
    return {
        "slug": team.slug,
        "name": team.name,
        "aliases": team.aliases,
        "support_hours": {
            "time_zone": team.time_zone,
            "hours": team.calendar().to_spec(),
            "holiday_country": team.holiday_country or None,
            "holiday_subdivision": team.holiday_subdiv or None,
        },
        "sla_targets": team.sla_targets,
        "slack_channel": team.slack_channel,
        "email": team.email,
        "auto_close_days": team.auto_close_days,
        "archived": team.archived_at is not None,
        "members": [m.person.user.username for m in memberships],
        "leads": [m.person.user.username for m in memberships if m.role == Membership.LEAD],
    }


def _teams() -> Any:
    return Team.objects.prefetch_related("memberships__person__user")


@router.get("/teams", response={200: list[s.TeamOut], **ERRORS})
def list_teams(request: HttpRequest) -> Any:
    access.require_agent(request.user)
    return [team_out(t) for t in _teams()]


@router.get("/teams/{slug}", response={200: s.TeamOut, **ERRORS})
def team_detail(request: HttpRequest, slug: str) -> Any:
    access.require_agent(request.user)
    get_team(slug)
    return team_out(_teams().get(slug=slug))


@router.post("/teams", response={201: s.TeamOut, **ERRORS})
def create_team(request: HttpRequest, payload: s.TeamIn) -> Any:
    """Admins create a team (then add members: PUT …/members/{username})."""
    if not access.is_admin(request.user):
        raise Forbidden("only an admin can create a team")
    team = team_create(
        slug=payload.slug,
        name=payload.name,
        time_zone=payload.time_zone,
        hours=payload.hours,
        holiday_country=payload.holiday_country,
        holiday_subdiv=payload.holiday_subdivision,
        actor=request.user,
    )
    return Status(201, team_out(_teams().get(pk=team.pk)))


@router.patch("/teams/{slug}", response={200: s.TeamOut, **ERRORS})
def update_team(request: HttpRequest, slug: str, payload: s.TeamPatch) -> Any:
    """Admins and the team's leads change its settings; admins (un)archive it."""
    team = get_team(slug)
    access.require_team_admin(request.user, team)
    if payload.archived is not None and not access.is_admin(request.user):
        raise Forbidden("only an admin can archive a team", field="archived")
    updated = team_update(
        team,
        actor=request.user,
        name=payload.name,
        aliases=payload.aliases,
        slack_channel=payload.slack_channel,
        email=payload.email,
        auto_close_days=payload.auto_close_days,
        support_hours=(
            payload.support_hours.model_dump(exclude_none=True)
            if payload.support_hours is not None
            else None
        ),
        sla_targets=payload.sla_targets,
    )
    if payload.archived is not None:
        team_set_archived(team, actor=request.user, archived=payload.archived)
    return {**team_out(_teams().get(pk=team.pk)), "clocks_recomputed": updated.clocks_recomputed}


@router.delete("/teams/{slug}", response={204: None, **ERRORS})
def delete_team(request: HttpRequest, slug: str) -> Any:
    """Admins delete a team no ticket refers to (else 409: archive it instead)."""
    team = get_team(slug)
    if not access.is_admin(request.user):
        raise Forbidden("only an admin can delete a team")
    team_delete(team, actor=request.user)
    return Status(204, None)


@router.get("/me", response={200: s.MeOut, **ERRORS})
def me(request: HttpRequest) -> Any:
    user: Any = request.user
    memberships = list(Membership.objects.filter(person__user=user).select_related("team"))
    person = getattr(user, "person", None)
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "email": user.email,
        "is_admin": access.is_admin(user),
        "teams": [m.team.slug for m in memberships],
        "lead_of": [m.team.slug for m in memberships if m.role == Membership.LEAD],
        "time_zone": person.time_zone if person else None,
    }
