"""Teams and the current user."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Router

from herodesk.api import schemas as s
from herodesk.api.tickets import ERRORS, get_team
from herodesk.audit.log import record
from herodesk.domain.business_hours import Calendar, CalendarError
from herodesk.errors import Invalid
from herodesk.teams import access
from herodesk.teams.models import Membership, Team
from herodesk.tickets.sla import validate_targets

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


def _apply_hours(team: Team, patch: s.SupportHoursPatch) -> None:
    tz = patch.time_zone if patch.time_zone is not None else team.time_zone
    hours = patch.hours if patch.hours is not None else team.hours
    country = patch.holiday_country if patch.holiday_country is not None else team.holiday_country
    subdiv = (
        patch.holiday_subdivision if patch.holiday_subdivision is not None else team.holiday_subdiv
    )
    try:
        cal = Calendar.from_spec(tz, hours, country or None, subdiv or None)
    except CalendarError as exc:
        raise Invalid(f"support_hours: {exc}", field="support_hours") from None
    team.time_zone, team.hours = tz, cal.to_spec()
    team.holiday_country, team.holiday_subdiv = country or "", subdiv or ""


@router.patch("/teams/{slug}", response={200: s.TeamOut, **ERRORS})
def update_team(request: HttpRequest, slug: str, payload: s.TeamPatch) -> Any:
    """Admins and the team's leads change its name, aliases, support hours and targets."""
    team = get_team(slug)
    access.require_team_admin(request.user, team)
    before = team_out(team)
    if payload.name is not None:
        team.name = payload.name
    if payload.aliases is not None:
        team.aliases = [a.strip() for a in payload.aliases if a.strip()]
    if payload.slack_channel is not None:
        team.slack_channel = payload.slack_channel.strip()
    if payload.support_hours is not None:
        _apply_hours(team, payload.support_hours)
    if payload.sla_targets is not None:
        team.sla_targets = validate_targets(payload.sla_targets)
    with transaction.atomic():
        team.save()
        after = team_out(_teams().get(pk=team.pk))
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        record(
            request.user,
            "team.updated",
            team,
            before={k: before[k] for k in changed},
            after=changed,
        )
    return after


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
