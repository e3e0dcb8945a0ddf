"""Helpers shared by the rotation actions: validation, locking, audit
snapshots and the schedule_changed signal."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from herodesk.lib.errors import Invalid
from herodesk.rotations import queries, signals
from herodesk.rotations.models import Override
from herodesk.teams.models import Membership, Person, Team

MAX_TURN_DAYS = 366
MAX_MEMBERS = 200
MAX_OVERRIDE = timedelta(days=366)
# A change "now" may be stamped a little before the server's clock reads it.
PAST_SLACK = timedelta(minutes=5)


def now_or(now: datetime | None) -> datetime:
    return now or timezone.now()


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def require_aware(value: datetime | None, name: str) -> datetime:
    if value is None:
        raise Invalid(f"{name} is required", field=name)
    if timezone.is_naive(value):
        raise Invalid(
            f"{name} must include a UTC offset (e.g. 2025-03-31T09:00:00+01:00)", field=name
        )
    return value


def require_interval(
    start: datetime | None, end: datetime | None, longest: timedelta = MAX_OVERRIDE
) -> tuple[datetime, datetime]:
    start, end = require_aware(start, "start"), require_aware(end, "end")
    if end <= start:
        raise Invalid("end must be after start", field="end")
    if end - start > longest:
        raise Invalid(f"the interval is too long (at most {longest.days} days)", field="end")
    return start, end


def team_member(team: Team, who: Any, field: str) -> Person:
    """The Person for a username (or Person/User) who is a member of `team`."""
    username = who if isinstance(who, str) else getattr(getattr(who, "user", who), "username", None)
    membership = (
        Membership.objects.select_related("person__user")
        .filter(team=team, person__user__username=username, person__user__is_active=True)
        .first()
    )
    if membership is None:
        raise Invalid(f"{username!r} is not a member of {team.name}", field=field)
    return membership.person


def lock_team(team: Team) -> Team:
    """Serialize schedule writes of one team (row lock on PostgreSQL)."""
    return Team.objects.select_for_update().get(pk=team.pk)


def people_named(usernames: Iterable[str | None]) -> list[Person]:
    names = sorted({u for u in usernames if u})
    return list(
        Person.objects.select_related("user")
        .filter(user__username__in=names)
        .order_by("user__username")
    )


def emit(
    team: Team,
    usernames: Iterable[str | None],
    reason: str,
    actor: Any,
    start: datetime,
    end: datetime | None,
) -> None:
    signals.schedule_changed.send(
        Team,
        team=team,
        people=people_named(usernames),
        reason=reason,
        actor=actor,
        start=start,
        end=end,
    )


def scheduled_people(team: Team, start: datetime, end: datetime) -> set[str | None]:
    return {s.person for s in queries.final_schedule(team, start, end)}


def override_snapshot(o: Override) -> dict[str, Any]:
    return {
        "team": o.team.slug,
        "person": o.person.user.username,
        "start": iso(o.start),
        "end": iso(o.end),
        "reason": o.reason,
        "swap": o.swap_id,
    }


def user_of(actor: Any) -> Any:
    """The User behind an actor, or None for labels ("cli", "demo") and None."""
    return actor if actor is not None and not isinstance(actor, str) else None
