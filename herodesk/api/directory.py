"""People: `GET/POST /api/v1/people`, `GET/PATCH /api/v1/people/{username}`.

POST invites (a person without a password and a set-password email through
the outbox). Admins invite anyone; a team lead invites into a team they lead.
PATCH: admins change anything; the person, or a lead of one of their teams,
changes name, Slack user, time zone, hours and holidays; `active` and
`admin` are for admins (deactivating answers which shifts moved to whom).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from herodesk.api.members import _person
from herodesk.api.tickets import ERRORS, get_team
from herodesk.lib.errors import Forbidden
from herodesk.notify.models import Delivery
from herodesk.rotations import actions as rotation_actions
from herodesk.teams import access
from herodesk.teams import actions as team_actions
from herodesk.teams.models import Invitation, Person

router = Router(tags=["people"])


class InvitationOut(Schema):
    state: str = Field(description="open, used, expired or replaced")
    expires_at: datetime
    email: str = Field(description="the invitation email: pending, sent, failed or missing")


class ShiftLeftOut(Schema):
    team: str
    start: datetime
    end: datetime
    now_on: str | None = Field(description="who has the shift now; null: nobody (uncovered)")


class PersonOut(Schema):
    username: str
    name: str
    email: str
    kind: str
    time_zone: str
    hours: dict[str, list[list[str]]]
    holiday_country: str
    holiday_subdivision: str
    slack_user_id: str
    admin: bool
    active: bool
    teams: dict[str, str] = Field(description="team slug → role")
    invitation: InvitationOut | None = None
    shifts_left: list[ShiftLeftOut] | None = None


class PersonIn(Schema):
    email: str
    name: str = ""
    username: str = Field("", description="default: from the email address")
    time_zone: str = "Europe/London"
    team: str | None = Field(None, description="a team slug to join")
    role: Literal["lead", "member"] = "member"


class PersonPatch(Schema):
    name: str | None = None
    email: str | None = None
    kind: Literal["engineer", "cs"] | None = None
    slack_user_id: str | None = None
    time_zone: str | None = None
    hours: dict[str, list[list[str]]] | None = None
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    admin: bool | None = None
    active: bool | None = None


def _invitation(person: Person, now: Any) -> dict[str, Any] | None:
    row = Invitation.objects.filter(person=person).order_by("-created_at", "-id").first()
    if row is None:
        return None
    mail = Delivery.objects.filter(key=f"invitation:{row.pk}").first()
    return {
        "state": row.state(now),
        "expires_at": row.expires_at,
        "email": mail.status if mail else "missing",
    }


def person_out(person: Person, **extra: Any) -> dict[str, Any]:
    user = person.user
    return {
        "username": user.username,
        "name": user.get_full_name(),
        "email": user.email,
        "kind": person.kind,
        "time_zone": person.time_zone,
        "hours": person.calendar().to_spec(),
        "holiday_country": person.holiday_country,
        "holiday_subdivision": person.holiday_subdiv,
        "slack_user_id": person.slack_user_id,
        "admin": user.is_superuser,
        "active": user.is_active,
        "teams": {m.team.slug: m.role for m in person.memberships.select_related("team")},
        "invitation": _invitation(person, timezone.now()),
        **extra,
    }


def can_edit(user: Any, person: Person) -> bool:
    if access.is_admin(user) or user.pk == person.user_id:
        return True
    return any(access.can_admin_team(user, m.team) for m in person.memberships.all())


@router.get("/people", response={200: list[PersonOut], **ERRORS})
def list_people(request: HttpRequest) -> Any:
    access.require_agent(request.user)
    people = Person.objects.select_related("user").order_by("user__username")
    return [person_out(p) for p in people]


@router.post("/people", response={201: PersonOut, **ERRORS})
def invite_person(request: HttpRequest, payload: PersonIn) -> Any:
    """Invite someone by email: they get a single-use link to set their password."""
    team = get_team(payload.team) if payload.team else None
    lead = team is not None and access.can_admin_team(request.user, team)
    if not (access.is_admin(request.user) or lead):
        raise Forbidden("only an admin, or a lead inviting into their team, can invite")
    person, _ = team_actions.person_invite(
        email=payload.email,
        name=payload.name,
        username=payload.username,
        time_zone=payload.time_zone,
        team=team,
        role=payload.role,
        actor=request.user,
    )
    return Status(201, person_out(person))


@router.get("/people/{username}", response={200: PersonOut, **ERRORS})
def get_person(request: HttpRequest, username: str) -> Any:
    access.require_agent(request.user)
    return person_out(_person(username))


@router.patch("/people/{username}", response={200: PersonOut, **ERRORS})
def patch_person(request: HttpRequest, username: str, payload: PersonPatch) -> Any:
    with transaction.atomic():  # all of it or nothing
        extra = _patch(_person(username), request.user, payload)
    return person_out(_person(username), **extra)


def _patch(person: Person, user: Any, payload: PersonPatch) -> dict[str, Any]:
    username = person.user.username
    if not can_edit(user, person):
        raise Forbidden(f"only an admin, {username} or their team lead can change this")
    admin_only = {"email", "kind", "admin", "active"} & payload.model_fields_set
    if admin_only and not access.is_admin(user):
        raise Forbidden(f"only an admin can change {', '.join(sorted(admin_only))}")
    team_actions.person_update(
        person,
        actor=user,
        name=payload.name,
        email=payload.email,
        kind=payload.kind,
        slack_user_id=payload.slack_user_id,
        is_admin=payload.admin,
    )
    if {"time_zone", "hours", "holiday_country", "holiday_subdivision"} & payload.model_fields_set:
        rotation_actions.person_set_hours(
            person,
            actor=user,
            time_zone=payload.time_zone,
            hours=payload.hours,
            holiday_country=payload.holiday_country,
            holiday_subdiv=payload.holiday_subdivision,
        )
    extra: dict[str, Any] = {}
    if payload.active is False and person.user.is_active:
        left = rotation_actions.person_deactivate(person, actor=user)
        extra["shifts_left"] = [
            {"team": r.team.slug, "start": r.start, "end": r.end, "now_on": r.now_on} for r in left
        ]
    elif payload.active is True and not person.user.is_active:
        rotation_actions.person_reactivate(person, actor=user)
    return extra
