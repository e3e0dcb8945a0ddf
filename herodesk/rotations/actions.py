"""Every write to rotations goes through a function here (`<noun>_<verb>`).

Each runs in one transaction, records an audit event and, when someone's
shifts may have changed, sends `signals.schedule_changed` inside it. The API,
admin, CLI, demo and web UI call these. Swaps and time off live in
swaps.py and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction

from herodesk.audit.log import record
from herodesk.domain import schedule as engine
from herodesk.errors import Conflict, Invalid
from herodesk.rotations import queries
from herodesk.rotations.common import (
    MAX_MEMBERS,
    MAX_TURN_DAYS,
    PAST_SLACK,
    emit,
    iso,
    lock_team,
    now_or,
    override_snapshot,
    require_aware,
    require_interval,
    scheduled_people,
    team_member,
    user_of,
)
from herodesk.rotations.models import (
    FeedToken,
    Override,
    RotationMember,
    RotationVersion,
    feed_digest,
)
from herodesk.teams.models import Person, Team

# --- rotation -------------------------------------------------------------------------------


def _handoff(value: str | time | None, start: datetime, zone: Any) -> time:
    if value is None:
        local = start.astimezone(zone)
        return time(local.hour, local.minute)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    try:
        return engine.parse_handoff_time(value)
    except engine.ScheduleError as exc:
        raise Invalid(f"handoff_time: {exc}", field="handoff_time") from None


def _validate_rotation(team: Team, members: Sequence[Any], turn_days: int,
                       handoff_weekday: int | None) -> list[Person]:
    if not 1 <= turn_days <= MAX_TURN_DAYS:
        raise Invalid(f"turn_days must be between 1 and {MAX_TURN_DAYS}", field="turn_days")
    if handoff_weekday is not None and not 0 <= handoff_weekday <= 6:
        raise Invalid("handoff_weekday must be 0 (Monday) … 6 (Sunday) or null",
                      field="handoff_weekday")
    if not members:
        raise Invalid("a rotation needs at least one member", field="members")
    if len(members) > MAX_MEMBERS:
        raise Invalid(f"a rotation has at most {MAX_MEMBERS} members", field="members")
    people = [team_member(team, m, "members") for m in members]
    seen: set[int] = set()
    for p in people:
        if p.pk in seen:
            raise Invalid(f"{p.user.username!r} appears twice in the order; use an override "
                          "for extra turns", field="members")
        seen.add(p.pk)
    return people


def version_snapshot(v: RotationVersion | None, members: list[str] | None = None) -> dict[str, Any]:
    if v is None:
        return {}
    return {"id": v.pk, "members": members if members is not None else v.usernames(),
            "start": iso(v.start), "turn_days": v.turn_days,
            "handoff_weekday": v.handoff_weekday, "handoff_time": v.handoff_time.strftime("%H:%M"),
            "time_zone": v.time_zone, "effective_from": iso(v.effective_from),
            "effective_until": iso(v.effective_until)}


def _supersede(team: Team, effective: datetime, actor: Any, at: datetime) -> list[str]:
    """Close the version in force at `effective`; drop versions that would start later.

    Returns the usernames of the members of every version touched.
    """
    touched: list[str] = []
    for v in RotationVersion.objects.select_for_update().filter(team=team).order_by("id"):
        begins = v.effective_from or v.start
        if v.effective_until is not None and v.effective_until <= effective:
            continue
        members = v.usernames()
        touched += members
        if begins >= effective:  # never took effect: replaced whole
            record(actor, "rotation.superseded", v, at=at, before=version_snapshot(v, members))
            v.delete()
        else:
            before = version_snapshot(v, members)
            v.effective_until = effective
            v.save(update_fields=["effective_until"])
            record(actor, "rotation.closed", v, at=at, before=before,
                   after={"effective_until": iso(effective)})
    return touched


@transaction.atomic
def rotation_set(
    team: Team, *, members: Sequence[Any], start: datetime, turn_days: int = 7,
    handoff_time: str | time | None = None, time_zone: str | None = None,
    handoff_weekday: int | None = None, effective_from: datetime | None = None,
    actor: Any, now: datetime | None = None,
) -> RotationVersion:
    """Set the team's rotation from `effective_from` on (default: now).

    A team's first rotation is in force from its `start` unless
    `effective_from` says otherwise. Later changes never reach into the past:
    the version in force is closed at `effective_from` and versions scheduled
    after it are replaced. `handoff_time` defaults to `start`'s local time.
    """
    at = now_or(now)
    start = require_aware(start, "start")
    tz_name = time_zone or team.time_zone
    try:
        zone = engine.validate_time_zone(tz_name)
    except engine.ScheduleError as exc:
        raise Invalid(f"time_zone: {exc}", field="time_zone") from None
    handoff = _handoff(handoff_time, start, zone)
    people = _validate_rotation(team, members, turn_days, handoff_weekday)
    team = lock_team(team)
    first = not RotationVersion.objects.filter(team=team).exists()
    if effective_from is not None:
        require_aware(effective_from, "effective_from")
    if not first:
        effective_from = effective_from or at
        if effective_from < at - PAST_SLACK:
            raise Invalid("effective_from is in the past; a rotation change takes effect now "
                          "or later (the past is never rewritten)", field="effective_from")
    v = RotationVersion(team=team, start=start, turn_days=turn_days, handoff_time=handoff,
                        handoff_weekday=handoff_weekday, time_zone=tz_name,
                        effective_from=effective_from, created_by=user_of(actor))
    names = [p.user.username for p in people]
    _check_engine(v, names)
    touched = [] if first else _supersede(team, effective_from or start, actor, at)
    v.save()
    RotationMember.objects.bulk_create(
        RotationMember(version=v, position=i, person=p) for i, p in enumerate(people)
    )
    record(actor, "rotation.set", v, at=at, after=version_snapshot(v, names))
    emit(team, [*touched, *names], "rotation", actor, effective_from or start, None)
    return v


def _check_engine(v: RotationVersion, names: list[str]) -> None:
    """Let the engine reject what it cannot schedule (before anything is written)."""
    version = queries.domain_version(v, names)
    begin = v.effective_from or v.start
    try:
        engine.rotation_boundaries(version, begin, begin + timedelta(days=2 * v.turn_days + 8))
    except engine.ScheduleError as exc:
        raise Invalid(str(exc), field="start") from None


# --- overrides ------------------------------------------------------------------------------


def _trim(o: Override, start: datetime, end: datetime, actor: Any, at: datetime) -> None:
    """Make room for [start, end) inside override `o` (delete, shorten or split it)."""
    before = override_snapshot(o)
    left = (o.start, start) if o.start < start else None
    right = (end, o.end) if o.end > end else None
    if left is None and right is None:
        record(actor, "override.deleted", o, at=at, before=before, after={"replaced": True})
        o.delete()
        return
    if left and right:
        Override.objects.create(team=o.team, person=o.person, start=right[0], end=right[1],
                                reason=o.reason, swap=o.swap, created_at=at,
                                created_by=user_of(actor))
    o.start, o.end = left or right  # type: ignore[misc]
    o.save(update_fields=["start", "end"])
    record(actor, "override.trimmed", o, at=at, before=before, after=override_snapshot(o))


@transaction.atomic
def override_create(
    team: Team, *, person: Any, start: datetime, end: datetime, actor: Any,
    replace: bool = False, reason: str = "", swap: Any = None, now: datetime | None = None,
    notify: bool = True,
) -> Override:
    """`person` covers [start, end) whoever is scheduled. An overlap with another
    override is refused (409) unless `replace`, which trims the others."""
    at = now_or(now)
    start, end = require_interval(start, end)
    p = team_member(team, person, "person")
    team = lock_team(team)
    overlapping = list(queries.overrides_between(team, start, end))
    if overlapping and not replace:
        o = overlapping[0]
        raise Conflict(
            f"overlaps override #{o.pk} ({o.person.user.username}, {o.start.isoformat()} → "
            f"{o.end.isoformat()}); delete it first or send replace=true", field="start")
    affected = scheduled_people(team, start, end) if notify else set()
    for o in overlapping:
        _trim(o, start, end, actor, at)
    override = Override.objects.create(team=team, person=p, start=start, end=end,
                                       reason=(reason or "").strip()[:300], swap=swap,
                                       created_at=at, created_by=user_of(actor))
    record(actor, "override.created", override, at=at, after=override_snapshot(override))
    if notify:
        emit(team, {*affected, p.user.username}, "override.created", actor, start, end)
    return override


@transaction.atomic
def override_delete(override: Override, actor: Any, now: datetime | None = None) -> list[int]:
    """Delete an override; one made by a swap takes the whole swap with it.

    Returns the ids deleted.
    """
    at = now_or(now)
    team = lock_team(override.team)
    group = [override]
    if override.swap_id is not None:
        group = list(Override.objects.select_related("person__user", "team")
                     .filter(swap_id=override.swap_id))
        from herodesk.rotations.swaps import swap_cancel_accepted

        swap_cancel_accepted(override.swap_id, actor, at)
    start = min(o.start for o in group)
    end = max(o.end for o in group)
    affected = {o.person.user.username for o in group}
    ids = []
    for o in group:
        record(actor, "override.deleted", o, at=at, before=override_snapshot(o))
        ids.append(o.pk)
        o.delete()
    affected |= scheduled_people(team, start, end)
    emit(team, affected, "override.deleted", actor, start, end)
    return ids


# --- feeds ------------------------------------------------------------------------------------


@transaction.atomic
def feed_token_rotate(*, team: Team | None = None, person: Person | None = None,
                      actor: Any, now: datetime | None = None) -> tuple[FeedToken, str]:
    """Make (or replace) the secret of a team's or a person's calendar feed.

    Returns the row and the raw token, which is never stored or logged.
    """
    if (team is None) == (person is None):
        raise ValueError("exactly one of team or person")
    at = now_or(now)
    raw = FeedToken.new_raw()
    token = FeedToken.objects.select_for_update().filter(team=team, person=person).first()
    before = {"prefix": token.prefix} if token else {}
    if token is None:
        token = FeedToken(team=team, person=person)
    token.digest, token.prefix = feed_digest(raw), raw[:10]
    token.created_at, token.created_by = at, user_of(actor)
    token.save()
    record(actor, "feed_token.rotated", token, at=at, before=before,
           after={"prefix": token.prefix, "team": team.slug if team else None,
                  "person": person.user.username if person else None})
    return token, raw


@transaction.atomic
def feed_token_revoke(token: FeedToken, actor: Any) -> None:
    record(actor, "feed_token.revoked", token, before={"prefix": token.prefix})
    token.delete()


from herodesk.rotations.swaps import (  # noqa: E402  (re-exported: one place to call)
    person_set_hours,
    swap_accept,
    swap_cancel,
    swap_decline,
    swap_direct,
    swap_request,
    time_off_create,
    time_off_delete,
)

__all__ = [
    "feed_token_revoke", "feed_token_rotate", "override_create", "override_delete",
    "person_set_hours", "rotation_set", "swap_accept", "swap_cancel", "swap_decline",
    "swap_direct", "swap_request", "time_off_create", "time_off_delete",
]
