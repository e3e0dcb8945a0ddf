"""Swaps, time off, working hours and calendar-feed URLs (/api/v1/)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Router
from ninja.responses import Status

from herodesk.api import rotation_schemas as s
from herodesk.api.tickets import ERRORS, get_team
from herodesk.api.types import ID
from herodesk.lib.errors import Forbidden, Invalid, NotFound
from herodesk.rotations import actions, common, present, queries
from herodesk.rotations.models import FeedToken, SwapRequest, TimeOff
from herodesk.teams import access
from herodesk.teams.models import Person, Team

router = Router(tags=["rotations"])


def leads_person(user: Any, person: Person) -> bool:
    """An admin, or a lead of one of `person`'s teams."""
    if access.is_admin(user):
        return True
    return any(access.can_admin_team(user, m.team) for m in person.memberships.all())


def require_self_or_lead(user: Any, person: Person, what: str) -> None:
    access.require_agent(user)
    if person.user_id != user.pk and not leads_person(user, person):
        raise Forbidden(
            f"only {person.user.username}, a lead of their team or an admin can change their {what}"
        )


# --- swaps ----------------------------------------------------------------------------------


def get_swap(swap_id: int) -> SwapRequest:
    swap = (
        SwapRequest.objects.select_related(
            "team", "requester__user", "counterpart__user", "decided_by"
        )
        .filter(pk=swap_id)
        .first()
    )
    if swap is None:
        raise NotFound(f"swap {swap_id} not found")
    return swap


@router.post("/swaps", response={201: s.SwapOut, **ERRORS})
def create_swap(request: HttpRequest, payload: s.SwapIn) -> Any:
    """Ask `counterpart` to trade shifts (whole shifts, or some `days` of
    them). A lead may swap two people directly with `person`: no acceptance."""
    access.require_agent(request.user)
    try:
        team = get_team(payload.team)
    except NotFound:
        raise Invalid(f"unknown team {payload.team!r}", field="team") from None
    me = request.user.get_username()
    kwargs: dict[str, Any] = {
        "team": team,
        "counterpart": payload.counterpart,
        "shift": payload.shift,
        "counterpart_shift": payload.counterpart_shift,
        "start": payload.start,
        "end": payload.end,
        "days": payload.days,
        "message": payload.message,
    }
    if payload.person and payload.person != me:
        if not access.can_admin_team(request.user, team):
            raise Forbidden(
                f"only a lead of {team.name} can swap other people directly", field="person"
            )
        swap = actions.swap_direct(actor=request.user, person=payload.person, **kwargs)
    else:
        requester = common.team_member(team, me, "team")
        swap = actions.swap_request(requester, actor=request.user, **kwargs)
    return Status(201, present.swap(get_swap(swap.pk)))


@router.get("/swaps", response={200: list[s.SwapOut], **ERRORS})
def list_swaps(request: HttpRequest, status: str | None = "pending") -> Any:
    """Swaps you asked for or are asked to accept (default: pending ones)."""
    access.require_agent(request.user)
    return [present.swap(sw) for sw in queries.swaps_of(request.user, status or None)]


@router.post("/swaps/{swap_id}/accept", response={200: s.SwapOut, **ERRORS})
def accept_swap(request: HttpRequest, swap_id: ID) -> Any:
    """The counterpart accepts: the pair of overrides is created atomically."""
    actions.swap_accept(get_swap(swap_id), actor=request.user)
    return present.swap(get_swap(swap_id))


@router.post("/swaps/{swap_id}/decline", response={200: s.SwapOut, **ERRORS})
def decline_swap(request: HttpRequest, swap_id: ID) -> Any:
    actions.swap_decline(get_swap(swap_id), actor=request.user)
    return present.swap(get_swap(swap_id))


@router.post("/swaps/{swap_id}/cancel", response={200: s.SwapOut, **ERRORS})
def cancel_swap(request: HttpRequest, swap_id: ID) -> Any:
    """The requester (or a lead) withdraws a pending request."""
    actions.swap_cancel(get_swap(swap_id), actor=request.user)
    return present.swap(get_swap(swap_id))


# --- time off and working hours -------------------------------------------------------------


@router.post("/people/{username}/time-off", response={201: s.TimeOffOut, **ERRORS})
def create_time_off(request: HttpRequest, username: str, payload: s.TimeOffIn) -> Any:
    """Mark [start, end) unavailable; the answer lists colliding shifts with
    proposed swap partners."""
    access.require_agent(request.user)
    person = queries.person_named(username)
    require_self_or_lead(request.user, person, "time off")
    row, conflicts = actions.time_off_create(
        person, payload.start, payload.end, actor=request.user, reason=payload.reason
    )
    return Status(201, present.time_off(row, conflicts))


@router.get("/people/{username}/time-off", response={200: list[s.TimeOffOut], **ERRORS})
def list_time_off(request: HttpRequest, username: str) -> Any:
    """Current and future time off, with the shifts that still collide."""
    access.require_agent(request.user)
    person = queries.person_named(username)
    now = timezone.now()
    return [
        present.time_off(row, actions.conflicts_for(person, row.start, row.end, now))
        for row in queries.time_off_of(person, now)
    ]


@router.delete("/time-off/{time_off_id}", response={204: None, **ERRORS})
def delete_time_off(request: HttpRequest, time_off_id: ID) -> Any:
    row = TimeOff.objects.select_related("person__user").filter(pk=time_off_id).first()
    if row is None:
        raise NotFound(f"time off {time_off_id} not found")
    require_self_or_lead(request.user, row.person, "time off")
    actions.time_off_delete(row, actor=request.user)
    return HttpResponse(status=204)


@router.get("/people/{username}/working-hours", response={200: s.HoursOut, **ERRORS})
def get_hours(request: HttpRequest, username: str) -> Any:
    access.require_agent(request.user)
    return present.hours(queries.person_named(username))


@router.patch("/people/{username}/working-hours", response={200: s.HoursOut, **ERRORS})
def set_hours(request: HttpRequest, username: str, payload: s.HoursIn) -> Any:
    """Time zone, weekly hours ({"mon": [["09:00", "17:00"]], …}) and holiday
    country/subdivision (the `holidays` package's codes)."""
    access.require_agent(request.user)
    person = queries.person_named(username)
    require_self_or_lead(request.user, person, "working hours")
    person = actions.person_set_hours(
        person,
        actor=request.user,
        time_zone=payload.time_zone,
        hours=payload.hours,
        holiday_country=payload.holiday_country,
        holiday_subdiv=payload.holiday_subdivision,
    )
    return present.hours(person)


# --- calendar feeds -------------------------------------------------------------------------


def feed_out(token: FeedToken | None) -> dict[str, Any]:
    if token is None:
        return {"url": None, "created_at": None}
    url = settings.BASE_URL + reverse("rotations:feed", args=[token.token])
    return {"url": url, "created_at": present.iso(token.created_at)}


def _team_feed(request: HttpRequest, slug: str) -> tuple[Team, FeedToken | None]:
    access.require_agent(request.user)
    team = get_team(slug)
    if not access.is_admin(request.user) and team.pk not in access.team_ids(request.user):
        raise Forbidden(f"only members of {team.name} and admins see its calendar feed")
    return team, FeedToken.objects.filter(team=team).first()


@router.get("/teams/{slug}/calendar-feed", response={200: s.FeedOut, **ERRORS})
def team_feed(request: HttpRequest, slug: str) -> Any:
    return feed_out(_team_feed(request, slug)[1])


@router.post("/teams/{slug}/calendar-feed", response={200: s.FeedOut, **ERRORS})
def rotate_team_feed(request: HttpRequest, slug: str) -> Any:
    """Make the team's secret feed URL, or replace it (leads/admins; the old
    URL stops working). Any member may make the first one."""
    team, token = _team_feed(request, slug)
    if token is not None:
        access.require_team_admin(request.user, team)
    return feed_out(actions.feed_token_rotate(team=team, actor=request.user))


def _person_feed(request: HttpRequest, username: str) -> tuple[Person, FeedToken | None]:
    access.require_agent(request.user)
    person = queries.person_named(username)
    if person.user_id != request.user.pk and not access.is_admin(request.user):
        raise Forbidden("only the person themselves and admins see a personal calendar feed")
    return person, FeedToken.objects.filter(person=person).first()


@router.get("/people/{username}/calendar-feed", response={200: s.FeedOut, **ERRORS})
def person_feed(request: HttpRequest, username: str) -> Any:
    return feed_out(_person_feed(request, username)[1])


@router.post("/people/{username}/calendar-feed", response={200: s.FeedOut, **ERRORS})
def rotate_person_feed(request: HttpRequest, username: str) -> Any:
    person, _ = _person_feed(request, username)
    return feed_out(actions.feed_token_rotate(person=person, actor=request.user))
