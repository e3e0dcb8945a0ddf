"""Roles, checked on every view and endpoint.

- admin: a superuser; everything.
- agent: a staff member with a Person profile (engineers, Customer Success);
  reads every team's queue and tickets, opens and writes tickets of their own
  teams and unrouted ones (another team's queue: through a hand-off).
- assignee: a ticket goes only to a member of its team or to Customer
  Success (an unrouted one to any staff member); admins included.
The full table: docs/permissions.md.
- lead: a Membership with role "lead"; edits that team's settings.
- anyone else (a user without a Person profile): no access to the desk.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import LazyObject, empty

from herodesk.lib.errors import Forbidden, Invalid
from herodesk.lib.prepared import Prepared, PreparedRows
from herodesk.teams.models import Membership, Person

# Read on every desk page and API request: compiled once (lib/prepared.py).
_MEMBERSHIPS = PreparedRows(
    Membership,
    lambda user_id: Membership.objects.filter(person__user_id=user_id).values_list(
        "team_id", "role"
    ),
)
_PERSON = Prepared(Person, lambda user_id: Person.objects.filter(user_id=user_id)[:1])
_PERSON_REL = Person._meta.get_field("user").remote_field  # user.person's cache


def is_admin(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def _memberships(user: Any) -> dict[int, str]:
    cached = getattr(user, "_hd_memberships", None)
    if cached is None:
        if isinstance(user.pk, int):
            cached = dict(_MEMBERSHIPS.all(user.pk))
        else:
            cached = dict(
                Membership.objects.filter(person__user=user).values_list("team_id", "role")
            )
        user._hd_memberships = cached
    return cached


def _load_person(user: Any) -> None:
    """`user.person` (or its absence) cached on the user, read with a prepared
    query: what the ORM's descriptor would load, without compiling it."""
    if isinstance(user, LazyObject):  # request.user: cache on the user itself
        user = user._wrapped if user._wrapped is not empty else user
    if isinstance(user.pk, int) and not _PERSON_REL.is_cached(user):
        person = _PERSON.first(user.pk)
        _PERSON_REL.set_cached_value(user, person)
        if person is not None:
            _PERSON_REL.field.set_cached_value(person, user)


def is_agent(user: Any) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    _load_person(user)
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


def can_open_ticket(user: Any, team: Any) -> bool:
    """May `user` open a ticket in `team`'s queue (None: routing rules decide)?"""
    if is_admin(user):
        return True
    return is_agent(user) and (team is None or team.pk in _memberships(user))


def require_ticket_open(user: Any, team: Any) -> None:
    if not can_open_ticket(user, team):
        raise Forbidden(
            f"only members of {team.name} can open tickets in its queue: open it "
            "in your team and hand it off, or leave the team out and let routing decide",
            field="team",
        )


def is_assignable(user: Any, team: Any) -> bool:
    """Can a ticket of `team` (None: unrouted) be assigned to `user`? Its
    members can; Customer Success people work across teams (T1 escalations go
    to the organization's CS owner), so they can too."""
    if user is None:
        return True
    person = getattr(user, "person", None) if user.is_active else None
    if person is None:
        return False
    if team is None or person.kind == Person.CUSTOMER_SUCCESS:
        return True
    return team.pk in _memberships(user)


def require_assignable(user: Any, team: Any) -> None:
    if is_assignable(user, team):
        return
    name = user.get_username()
    if team is None:
        raise Invalid(f"{name} has no staff profile on the desk", field="assignee")
    raise Invalid(
        f"{name} is not a member of {team.name}: assign to a member, "
        "or hand the ticket off to their team",
        field="assignee",
    )
