"""Reads about staff for the desk pages: who can be assigned or mentioned."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from herodesk.lib.prepared import PreparedRows
from herodesk.teams.models import Membership, Person
from herodesk.tickets.mentions import MENTION, mentioned

__all__ = ["MENTION", "Member", "Staff", "assignable", "mentioned", "staff_user", "team_members"]


@dataclass(frozen=True)
class Staff:
    user: Any
    on_team: bool

    @property
    def name(self) -> str:
        return str(self.user.get_full_name() or self.user.get_username())


def assignable(team: Any) -> list[Staff]:
    """Active staff (people with a profile), the team's members first (one query)."""
    qs = Person.objects.select_related("user").filter(user__is_active=True)
    if team is not None:
        qs = qs.annotate(
            on_team=Exists(Membership.objects.filter(team=team, person=OuterRef("pk")))
        )
    people = [Staff(p.user, bool(getattr(p, "on_team", False))) for p in qs]
    people.sort(key=lambda s: (not s.on_team, s.name.lower()))
    return people


@dataclass(frozen=True)
class Member:
    """A team member as the queue's bulk-assign list shows them (no model rows)."""

    user_id: int
    username: str
    name: str  # `Staff.name`: the full name, else the username


_MEMBERS = PreparedRows(
    Person,
    lambda team_id: Person.objects.filter(
        memberships__team_id=team_id, user__is_active=True
    ).values_list("user_id", "user__username", "user__first_name", "user__last_name"),
)


def team_members(team: Any) -> list[Member]:
    """Active members of `team` by name (one query; none for the unrouted queue)."""
    if team is None:
        return []
    members = (
        Member(pk, username, f"{first} {last}".strip() or username)
        for pk, username, first, last in _MEMBERS.all(team.pk)
    )
    return sorted(members, key=lambda m: m.name.lower())


def staff_user(username: str) -> Any:
    """The active staff user with this username, or None."""
    if not username:
        return None
    return (
        get_user_model()
        .objects.filter(username=username, is_active=True, person__isnull=False)
        .first()
    )
