"""People and teams leaving: deactivate a person, take someone off a team,
delete a team no ticket refers to.

A deactivated person keeps their history, loses access, and leaves the
future of every rotation.

`person_deactivate` takes them out of each rotation they are in from now on
(the others' turns close the gap: a new rotation version without them; a
rotation of one closes), deletes their future overrides (an override running
now ends now), cancels their pending swaps, and returns what happened to each
shift they had in the next `HORIZON`: who is on instead, or nobody. Run it
inside `preview` to see that report without changing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Q

from herodesk.audit.log import record
from herodesk.domain import schedule as engine
from herodesk.lib.errors import Conflict
from herodesk.rotations import queries
from herodesk.rotations.actions.overrides import override_delete
from herodesk.rotations.actions.rotation import _supersede, rotation_set
from herodesk.rotations.actions.swaps import _finish
from herodesk.rotations.common import emit, iso, lock_team, now_or
from herodesk.rotations.models import Override, RotationVersion, SwapRequest, SwapStatus
from herodesk.teams.models import Membership, Person, Team
from herodesk.tickets.models import Ticket

HORIZON = timedelta(days=90)
T = TypeVar("T")


@dataclass(frozen=True)
class LeftShift:
    """A shift the person had; `now_on` is who has it after the change (None: a gap)."""

    team: Team
    start: datetime
    end: datetime
    now_on: str | None

    @property
    def uncovered(self) -> bool:
        return self.now_on is None


class _Rollback(Exception):
    pass


def preview(change: Callable[[], T]) -> T:
    """Run `change` and return its result, then undo every write it made."""
    result: list[T] = []
    try:
        with transaction.atomic():
            result.append(change())
            raise _Rollback
    except _Rollback:
        pass
    return result[0]


def _versions_with(team: Team, person: Person, at: datetime) -> list[RotationVersion]:
    """The team's versions in force at `at` or later, oldest first, if any names `person`."""
    versions = list(
        RotationVersion.objects.filter(team=team)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gt=at))
        .prefetch_related("slots__person__user")
        .order_by("id")
    )
    named = any(slot.person_id == person.pk for v in versions for slot in v.slots.all())
    return versions if named else []


def _replay(
    team: Team, person: Person, versions: list[RotationVersion], actor: Any, at: datetime
) -> None:
    """Set each version again without `person`, from `at` (or its own later start)."""
    for v in versions:
        others = [
            s.person.user.username
            for s in v.slots.all()
            if s.person_id != person.pk and s.person.user.is_active
        ]
        begins = max(v.effective_from or v.start, at)
        if not others:
            _stop(team, begins, actor, at)
            continue
        rotation_set(
            team,
            members=others,
            start=v.start,
            turn_days=v.turn_days,
            handoff_time=v.handoff_time,
            time_zone=v.time_zone,
            handoff_weekday=v.handoff_weekday,
            effective_from=begins,
            restrictions=v.restrictions,
            actor=actor,
            now=at,
        )


def _stop(team: Team, effective: datetime, actor: Any, at: datetime) -> None:
    """The rotation ends at `effective` (its only member left): a gap from then on."""
    touched = _supersede(lock_team(team), effective, actor, at)
    emit(team, touched, "rotation", actor, effective, None)


def _overrides(person: Person, actor: Any, at: datetime) -> None:
    for o in Override.objects.select_related("team", "person__user").filter(
        person=person, end__gt=at
    ):
        if o.start >= at:
            override_delete(o, actor, now=at)
        else:  # running now: it ends now
            before = {"end": iso(o.end)}
            o.end = at
            o.save(update_fields=["end"])
            record(actor, "override.ended", o, at=at, before=before, after={"end": iso(at)})


def _swaps(person: Person, actor: Any, at: datetime) -> None:
    pending = SwapRequest.objects.select_for_update().filter(
        Q(requester=person) | Q(counterpart=person), status=SwapStatus.PENDING
    )
    for swap in pending:
        _finish(swap, SwapStatus.CANCELLED, actor, at, "swap.cancelled")


def _shifts(person: Person, at: datetime) -> list[tuple[Team, engine.Shift]]:
    return [(t, s) for t, s in queries.person_shifts(person, at, at + HORIZON) if s.end > at]


@transaction.atomic
def person_deactivate(
    person: Person, *, actor: Any, now: datetime | None = None
) -> list[LeftShift]:
    """Deactivate `person` (see the module); the report of the shifts they leave."""
    at = now_or(now)
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    if not person.user.is_active:
        raise Conflict(f"{person.user.username} is already deactivated", field="active")
    if getattr(actor, "pk", None) == person.user_id:
        raise Conflict("you cannot deactivate yourself", field="active")
    had = _shifts(person, at)
    for team in Team.objects.filter(memberships__person=person).order_by("name"):
        _replay(team, person, _versions_with(team, person, at), actor, at)
    _overrides(person, actor, at)
    _swaps(person, actor, at)
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])
    report = [
        LeftShift(t, s.start, s.end, queries.oncall(t, max(s.start, at)).person) for t, s in had
    ]
    record(
        actor,
        "person.deactivated",
        person,
        at=at,
        before={"is_active": True},
        after={
            "is_active": False,
            "shifts_left": [
                {"team": r.team.slug, "start": iso(r.start), "now_on": r.now_on} for r in report
            ],
        },
    )
    return report


@transaction.atomic
def person_reactivate(person: Person, *, actor: Any) -> Person:
    """Give access back (rotations are not changed: add them again where wanted)."""
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    if person.user.is_active:
        raise Conflict(f"{person.user.username} is active", field="active")
    person.user.is_active = True
    person.user.save(update_fields=["is_active"])
    record(
        actor, "person.reactivated", person, before={"is_active": False}, after={"is_active": True}
    )
    return person


@transaction.atomic
def membership_remove(team: Team, person: Person, *, actor: Any) -> None:
    """Take `person` off `team`. Someone in the team's rotation from now on must
    leave the rotation first (the schedule settings, or PUT …/rotation)."""
    row = Membership.objects.select_for_update().filter(team=team, person=person).first()
    if row is None:
        return
    if _versions_with(team, person, now_or(None)):
        raise Conflict(
            f"{person.user.username} is in {team.name}'s rotation; take them out of the "
            "rotation first",
            field="username",
        )
    before = {"team": team.slug, "person": person.user.username, "role": row.role}
    record(actor, "membership.removed", row, before=before)
    row.delete()


def ticket_count(team: Team) -> int:
    return Ticket.objects.filter(team=team).count()


@transaction.atomic
def team_delete(team: Team, *, actor: Any) -> None:
    """Delete a team no ticket refers to (its rules, rotation and macros go with
    it); a team that tickets name is archived instead, never deleted."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    used = ticket_count(team)
    if used:
        raise Conflict(
            f"{used} ticket{'s' if used != 1 else ''} refer to {team.name}; archive it "
            'instead (PATCH {"archived": true})',
            field="slug",
        )
    record(actor, "team.deleted", team, before={"slug": team.slug, "name": team.name})
    team.delete()
