"""Writes about teams and who is on them (`team_create`, `team_set_archived`,
`membership_set`): one transaction each, audited. Callers check roles first:
admins create and archive teams; an admin or a lead of the team changes its
members. Removing a member and deleting a team look at rotations and tickets,
so they live above (`herodesk.rotations.departures`).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.errors import Conflict, Invalid
from herodesk.teams.actions import checked_calendar
from herodesk.teams.models import Membership, Person, Team, default_hours

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ROLES = (Membership.LEAD, Membership.MEMBER)


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("name must not be empty", field="name")
    if len(name) > 120:
        raise Invalid("name is too long (at most 120 characters)", field="name")
    return name


@transaction.atomic
def team_create(
    *,
    slug: str,
    name: str,
    actor: Any,
    time_zone: str = "Europe/London",
    hours: dict[str, Any] | None = None,
    holiday_country: str = "",
    holiday_subdiv: str = "",
) -> Team:
    """A new team with support hours (Mon–Fri 09:00–17:00 unless given)."""
    slug = (slug or "").strip().lower()
    if not SLUG.fullmatch(slug) or len(slug) > 50:
        raise Invalid(
            "a slug is lower-case letters, digits and dashes (pipeline, infra-eu)", field="slug"
        )
    cal = checked_calendar(time_zone, hours or default_hours(), holiday_country, holiday_subdiv)
    team = Team(
        slug=slug,
        name=_clean_name(name),
        time_zone=cal.time_zone,
        hours=cal.to_spec(),
        holiday_country=(holiday_country or "").upper(),
        holiday_subdiv=holiday_subdiv or "",
    )
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise Conflict(f"a team with the slug {slug!r} exists", field="slug") from None
    record(actor, "team.created", team, after={"slug": slug, "name": team.name})
    return team


@transaction.atomic
def team_set_archived(team: Team, *, actor: Any, archived: bool) -> Team:
    """Archived teams keep their tickets and history; they leave menus and routing."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    if bool(team.archived_at) == archived:
        return team
    before = {"archived": bool(team.archived_at)}
    team.archived_at = timezone.now() if archived else None
    team.save(update_fields=["archived_at"])
    action = "team.archived" if archived else "team.unarchived"
    record(actor, action, team, before=before, after={"archived": archived})
    return team


@transaction.atomic
def membership_set(team: Team, person: Person, *, role: str, actor: Any) -> Membership:
    """Put `person` on `team` as lead or member (or change their role)."""
    if role not in ROLES:
        raise Invalid('role is "lead" or "member"', field="role")
    if not person.user.is_active:
        raise Invalid(f"{person.user.username} is deactivated", field="username")
    row, created = Membership.objects.select_for_update().get_or_create(
        team=team, person=person, defaults={"role": role}
    )
    if created:
        after = {"team": team.slug, "person": person.user.username, "role": role}
        record(actor, "membership.added", row, after=after)
    elif row.role != role:
        before = row.role
        row.role = role
        row.save(update_fields=["role"])
        record(actor, "membership.role", row, before={"role": before}, after={"role": role})
    return row
