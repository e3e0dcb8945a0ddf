"""Rotation endpoints under /api/v1/: rotation, who is on, schedules, overrides,
people's shifts and who is working now. Swaps, time off, working hours and
calendar feeds are in api_people.py (mounted on the same router)."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router
from ninja.responses import Status

from herodesk.api import rotation_schemas as s
from herodesk.api.people import router as people_router
from herodesk.api.tickets import ERRORS, get_team
from herodesk.api.types import ID
from herodesk.lib.errors import Forbidden, Invalid, NotFound
from herodesk.rotations import actions, present, queries
from herodesk.rotations.models import Override
from herodesk.teams import access
from herodesk.teams.models import Team

router = Router(tags=["rotations"])
router.add_router("", people_router)

MAX_WINDOW = timedelta(days=732)
DEFAULT_WINDOW = timedelta(days=28)


def _rotation_out(team: Team, chosen: int | None = None) -> dict[str, Any]:
    """The version `chosen` (default: the one in force now) and every version
    in force now or later."""
    now = timezone.now()
    loaded = queries.load([team], now, None)
    versions = loaded.versions.get(team.pk, [])
    if not versions:
        raise NotFound(f"{team.name} has no rotation yet (PUT teams/{team.slug}/rotation)")
    current = next(
        (
            v
            for v in versions
            if v.pk == chosen or (chosen is None and (v.effective_from or v.start) <= now)
        ),
        versions[0],
    )
    return {
        **present.version(current),
        "team": team.slug,
        "versions": [present.version(v) for v in versions],
    }


@router.put("/teams/{slug}/rotation", response={200: s.RotationOut, **ERRORS})
def put_rotation(request: HttpRequest, slug: str, payload: s.RotationIn) -> Any:
    """Set the rotation (leads and admins). Later changes take effect at
    `effective_from` (default now); the past is never rewritten."""
    team = get_team(slug)
    access.require_team_admin(request.user, team)
    version = actions.rotation_set(
        team,
        members=payload.members,
        start=payload.start,
        turn_days=payload.turn_days,
        handoff_time=payload.handoff_time,
        time_zone=payload.time_zone,
        handoff_weekday=payload.handoff_weekday,
        effective_from=payload.effective_from,
        restrictions=payload.restrictions,
        actor=request.user,
    )
    return _rotation_out(team, version.pk)


@router.get("/teams/{slug}/rotation", response={200: s.RotationOut, **ERRORS})
def get_rotation(request: HttpRequest, slug: str) -> Any:
    access.require_agent(request.user)
    return _rotation_out(get_team(slug))


@router.get("/teams/{slug}/oncall", response={200: s.OncallOut, **ERRORS})
def oncall(request: HttpRequest, slug: str, at: str | None = None) -> Any:
    """Who is hero at `at` (default now): the shift's start, end and source."""
    access.require_agent(request.user)
    team = get_team(slug)
    instant = present.parse_instant(at, "at", default=timezone.now())
    loaded = queries.load([team], instant, instant + timedelta(microseconds=1))
    shift = loaded.schedules[team.pk].who(instant)
    versions = loaded.versions.get(team.pk, [])
    return {
        "team": team.slug,
        "at": present.iso(instant.astimezone(UTC)),
        "hero": shift.person,
        "hero_name": present.name_of(shift.person, loaded.people),
        "start": present.iso(shift.start),
        "end": present.iso(shift.end),
        "source": shift.source,
        "override_id": int(shift.override_id) if shift.override_id is not None else None,
        "time_zone": versions[-1].time_zone if versions else team.time_zone,
    }


def window(team: Team, start: str | None, end: str | None) -> tuple[Any, Any]:
    zone = queries.zone_of(team)
    lo = present.parse_instant(start, "start", zone, default=timezone.now()).astimezone(UTC)
    hi = present.parse_instant(end, "end", zone, default=lo + DEFAULT_WINDOW).astimezone(UTC)
    if hi <= lo:
        raise Invalid("end must be after start", field="end")
    if hi - lo > MAX_WINDOW:
        raise Invalid(f"the window is at most {MAX_WINDOW.days} days", field="end")
    return lo, hi


@router.get("/teams/{slug}/schedule", response={200: s.ScheduleOut, **ERRORS})
def schedule(
    request: HttpRequest, slug: str, start: str | None = None, end: str | None = None
) -> Any:
    """The final schedule of [start, end) (default: the next 28 days): overrides
    applied, gaps reported. A bare date means midnight in the team's zone."""
    access.require_agent(request.user)
    team = get_team(slug)
    lo, hi = window(team, start, end)
    loaded = queries.load([team], lo, hi)
    shifts = loaded.schedules[team.pk].final(lo, hi)
    return {
        "team": team.slug,
        "start": present.iso(lo),
        "end": present.iso(hi),
        "time_zone": queries.zone_of(team).key,
        "shifts": [present.shift(x, loaded.people) for x in shifts],
        "gaps": [
            {"start": present.iso(x.start), "end": present.iso(x.end)}
            for x in shifts
            if x.source == "gap"
        ],
    }


@router.get("/teams/{slug}/overrides", response={200: list[s.OverrideOut], **ERRORS})
def list_overrides(
    request: HttpRequest, slug: str, start: str | None = None, end: str | None = None
) -> Any:
    """Overrides touching [start, end) (default: from now on, 28 days)."""
    access.require_agent(request.user)
    team = get_team(slug)
    lo, hi = window(team, start, end)
    return [present.override(o) for o in queries.overrides_between(team, lo, hi)]


@router.post("/teams/{slug}/overrides", response={201: s.OverrideOut, **ERRORS})
def create_override(request: HttpRequest, slug: str, payload: s.OverrideIn) -> Any:
    """`person` covers [start, end). Members may cover for themselves; leads and
    admins for anyone in the team. Overlaps → 409 unless `replace`."""
    team = get_team(slug)
    access.require_agent(request.user)
    if payload.person != request.user.get_username():
        if not access.can_admin_team(request.user, team):
            raise Forbidden(
                f"only a lead of {team.name} can place an override for someone "
                "else; ask them with a swap request",
                field="person",
            )
    elif not access.can_admin_team(request.user, team) and team.pk not in access.team_ids(
        request.user
    ):
        raise Forbidden(f"only members of {team.name} can take its shifts")
    o = actions.override_create(
        team,
        person=payload.person,
        start=payload.start,
        end=payload.end,
        actor=request.user,
        replace=payload.replace,
        reason=payload.reason,
    )
    return Status(201, present.override(queries.overrides_by_ids([o.pk])[0]))


@router.delete("/overrides/{override_id}", response={204: None, **ERRORS})
def delete_override(request: HttpRequest, override_id: ID) -> Any:
    """Delete an override (its person, its creator, a lead or an admin). An
    override made by a swap is deleted with its pair and the swap cancelled."""
    found = queries.overrides_by_ids([override_id])
    if not found:
        raise NotFound(f"override {override_id} not found")
    o: Override = found[0]
    user = request.user
    mine = o.person.user_id == user.pk or o.created_by_id == user.pk
    if not (access.is_agent(user) and mine) and not access.can_admin_team(user, o.team):
        raise Forbidden(
            f"only {o.person.user.username}, whoever made it or a lead of "
            f"{o.team.name} can delete override {o.pk}"
        )
    actions.override_delete(o, actor=user)
    return HttpResponse(status=204)


@router.get("/people/{username}/shifts", response={200: list[s.PersonShiftOut], **ERRORS})
def person_shifts(
    request: HttpRequest, username: str, start: str | None = None, end: str | None = None
) -> Any:
    """A person's shifts on every team (default: from now, the next 90 days)."""
    access.require_agent(request.user)
    person = queries.person_named(username)
    lo = present.parse_instant(start, "start", default=timezone.now())
    hi = present.parse_instant(end, "end", default=lo + timedelta(days=90))
    if hi <= lo or hi - lo > MAX_WINDOW:
        raise Invalid(f"end must be after start and within {MAX_WINDOW.days} days", field="end")
    people = {username: person}
    return [
        {**present.shift(sh, people), "team": team.slug}
        for team, sh in queries.person_shifts(person, lo, hi)
    ]


@router.get("/working-now", response={200: list[s.WorkingOut], **ERRORS})
def working_now(request: HttpRequest, at: str | None = None, team: str | None = None) -> Any:
    """People inside their working hours at `at` (default now), not on time off;
    with `team`, that team's members first."""
    access.require_agent(request.user)
    instant = present.parse_instant(at, "at", default=timezone.now())
    home = None
    if team:
        try:
            home = get_team(team)
        except NotFound:
            raise Invalid(f"unknown team {team!r}", field="team") from None
    out = []
    for person, teams in queries.working_now(instant, home):
        local = instant.astimezone(person.calendar().tz)
        out.append(
            {
                "username": person.user.username,
                "name": person.display_name,
                "time_zone": person.time_zone,
                "local_time": local.isoformat(),
                "teams": [t.slug for t in teams],
                "same_team": home is not None and any(t.pk == home.pk for t in teams),
            }
        )
    return out
