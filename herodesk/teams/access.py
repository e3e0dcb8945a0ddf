"""Roles, checked on every view and endpoint.

- admin: a superuser; everything.
- agent: a staff member with a Person profile (engineers, Customer Success);
  reads every team's queue and tickets, writes tickets of their own teams and
  unrouted ones.
- lead: a Membership with role "lead"; edits that team's settings.
- anyone else (a user without a Person profile): no access to the desk.
"""

from __future__ import annotations

from typing import Any

from herodesk.lib.errors import Forbidden
from herodesk.teams.models import Membership


def is_admin(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def _memberships(user: Any) -> dict[int, str]:
    cached = getattr(user, "_hd_memberships", None)
    if cached is None:
        cached = dict(Membership.objects.filter(person__user=user).values_list("team_id", "role"))
        user._hd_memberships = cached
    return cached


def is_agent(user: Any) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return hasattr(user, "person")


def team_ids(user: Any) -> set[int]:
    return set(_memberships(user))


def require_agent(user: Any) -> None:
    if not is_agent(user):
        raise Forbidden("this account has no access to the desk (no staff profile)")


def can_write_ticket(user: Any, ticket: Any) -> bool:
    if is_admin(user):
        return True
    if not is_agent(user):
        return False
    return ticket.team_id is None or ticket.team_id in _memberships(user)


def require_ticket_write(user: Any, ticket: Any) -> None:
    if not can_write_ticket(user, ticket):
        team = ticket.team.name if ticket.team_id else "unrouted"
        raise Forbidden(f"only members of {team} can change ticket #{ticket.pk}")


def can_admin_team(user: Any, team: Any) -> bool:
    if is_admin(user):
        return True
    return is_agent(user) and _memberships(user).get(team.pk) == "lead"


def require_team_admin(user: Any, team: Any) -> None:
    if not can_admin_team(user, team):
        raise Forbidden(f"only an admin or a lead of {team.name} can change its settings")
