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
from herodesk.lib.errors import Invalid
from herodesk.rotations import present, queries
from herodesk.rotations.common import (
    MAX_MEMBERS,
    MAX_TURN_DAYS,
    PAST_SLACK,
    emit,
    iso,
    lock_team,
    now_or,
    require_aware,
    team_member,
    user_of,
)
from herodesk.rotations.models import (
    FeedToken,
    RotationMember,
    RotationVersion,
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
        raise Invalid(str(exc), field="handoff_time") from None


def _validate_rotation(
    team: Team, members: Sequence[Any], turn_days: int, handoff_weekday: int | None
) -> list[Person]:
    if not 1 <= turn_days <= MAX_TURN_DAYS:
        raise Invalid(f"turn_days must be between 1 and {MAX_TURN_DAYS}", field="turn_days")
    if handoff_weekday is not None and not 0 <= handoff_weekday <= 6:
        raise Invalid(
            "handoff_weekday must be 0 (Monday) … 6 (Sunday) or null", field="handoff_weekday"
        )
    if not members:
        raise Invalid("a rotation needs at least one member", field="members")
    if len(members) > MAX_MEMBERS:
        raise Invalid(f"a rotation has at most {MAX_MEMBERS} members", field="members")
    people = [team_member(team, m, "members") for m in members]
    seen: set[int] = set()
    for p in people:
        if p.pk in seen:
            raise Invalid(
                f"{p.user.username!r} appears twice in the order; use an override for extra turns",
                field="members",
            )
        seen.add(p.pk)
    return people


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
            record(actor, "rotation.superseded", v, at=at, before=present.version(v, members))
            v.delete()
        else:
            before = present.version(v, members)
            v.effective_until = effective
            v.save(update_fields=["effective_until"])
            record(
                actor,
                "rotation.closed",
                v,
                at=at,
                before=before,
                after={"effective_until": iso(effective)},
            )
    return touched


def parse_restrictions(value: Sequence[Any] | None) -> list[dict[str, Any]]:
    """Weekly windows [{"weekday": 0–6, "start": "HH:MM", "end": "HH:MM"}, …]."""
    out = []
    for i, w in enumerate(value or ()):
        try:
            weekday, lo, hi = int(w["weekday"]), str(w["start"]), str(w["end"])
            engine.WeeklyWindow(
                weekday, engine.parse_handoff_time(lo), engine.parse_handoff_time(hi)
            )
        except (KeyError, TypeError, ValueError):
            raise Invalid(
                f'restrictions[{i}]: a window is {{"weekday": 0–6 (Monday first), '
                '"start": "HH:MM", "end": "HH:MM"}',
                field="restrictions",
            ) from None
        out.append({"weekday": weekday, "start": lo.zfill(5), "end": hi.zfill(5)})
    return out


def _effective(first: bool, effective_from: datetime | None, at: datetime) -> datetime | None:
    if effective_from is not None:
        require_aware(effective_from, "effective_from")
    if first:
        return effective_from
    effective_from = effective_from or at
    if effective_from < at - PAST_SLACK:
        raise Invalid(
            "effective_from is in the past; a rotation change takes effect now or "
            "later (the past is never rewritten)",
            field="effective_from",
        )
    return effective_from


@transaction.atomic
def rotation_set(
    team: Team,
    *,
    members: Sequence[Any],
    start: datetime,
    turn_days: int = 7,
    handoff_time: str | time | None = None,
    time_zone: str | None = None,
    handoff_weekday: int | None = None,
    effective_from: datetime | None = None,
    restrictions: Sequence[Any] | None = None,
    actor: Any,
    now: datetime | None = None,
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
        raise Invalid(str(exc), field="time_zone") from None
    handoff = _handoff(handoff_time, start, zone)
    people = _validate_rotation(team, members, turn_days, handoff_weekday)
    windows = parse_restrictions(restrictions)
    team = lock_team(team)
    first = not RotationVersion.objects.filter(team=team).exists()
    effective = _effective(first, effective_from, at)
    v = RotationVersion(
        team=team,
        start=start,
        turn_days=turn_days,
        handoff_time=handoff,
        handoff_weekday=handoff_weekday,
        time_zone=tz_name,
        effective_from=effective,
        restrictions=windows,
        created_by=user_of(actor),
    )
    names = [p.user.username for p in people]
    _check_engine(v, names)
    touched = [] if first else _supersede(team, effective or start, actor, at)
    v.save()
    RotationMember.objects.bulk_create(
        RotationMember(version=v, position=i, person=p) for i, p in enumerate(people)
    )
    record(actor, "rotation.set", v, at=at, after=present.version(v, names))
    emit(team, [*touched, *names], "rotation", actor, effective or start, None)
    return v


def _check_engine(v: RotationVersion, names: list[str]) -> None:
    """Let the engine reject what it cannot schedule (before anything is written)."""
    version = queries.domain_version(v, names)
    begin = v.effective_from or v.start
    try:
        engine.rotation_boundaries(version, begin, begin + timedelta(days=2 * v.turn_days + 8))
    except engine.ScheduleError as exc:
        raise Invalid(str(exc), field="start") from None


# --- feeds ------------------------------------------------------------------------------------


@transaction.atomic
def feed_token_rotate(
    *,
    team: Team | None = None,
    person: Person | None = None,
    actor: Any,
    now: datetime | None = None,
) -> FeedToken:
    """Make (or replace) the secret of a team's or a person's calendar feed.

    The old URL stops working. Only the fact is audited, never the token.
    """
    if (team is None) == (person is None):
        raise ValueError("exactly one of team or person")
    at = now_or(now)
    token = FeedToken.objects.select_for_update().filter(team=team, person=person).first()
    before = {"created_at": iso(token.created_at)} if token else {}
    if token is None:
        token = FeedToken(team=team, person=person)
    token.nonce, token.created_at, token.created_by = FeedToken.new_nonce(), at, user_of(actor)
    token.save()
    record(
        actor,
        "feed_token.rotated",
        token,
        at=at,
        before=before,
        after={
            "team": team.slug if team else None,
            "person": person.user.username if person else None,
        },
    )
    return token


@transaction.atomic
def feed_token_revoke(token: FeedToken, actor: Any) -> None:
    record(
        actor,
        "feed_token.revoked",
        token,
        before={
            "team": token.team.slug if token.team else None,
            "person": token.person.user.username if token.person else None,
        },
    )
    token.delete()
