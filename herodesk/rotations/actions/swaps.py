"""Swaps: A and B trade shifts (whole shifts or some local days of them).

A swap is one atomic pair (or set) of overrides; the rotation order is never
touched. The overrides are planned by the engine when the request is made and
created when the counterpart accepts, after checking the schedule still
matches the plan. A lead may swap two people directly (no acceptance).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction

from herodesk.audit.log import record
from herodesk.domain import schedule as engine
from herodesk.lib.errors import Conflict, Forbidden, Invalid
from herodesk.rotations import queries, signals
from herodesk.rotations.actions.overrides import override_create
from herodesk.rotations.common import (
    emit,
    iso,
    lock_team,
    now_or,
    require_aware,
    team_member,
    user_of,
)
from herodesk.rotations.models import SwapRequest, SwapStatus
from herodesk.teams import access
from herodesk.teams.models import Person, Team

# How far from the instants given a shift to trade is searched for.
REACH = timedelta(days=400)


def _run(schedule: engine.Schedule, at: datetime, person: str, field: str) -> engine.Shift:
    """The contiguous stretch of `person`'s pieces around `at` (their shift)."""
    found = schedule.who(at)
    if found.person != person:
        who = found.person or "nobody (a gap)"
        raise Invalid(f"at {at.isoformat()} the hero is {who}, not {person}", field=field)
    pieces = schedule.final(found.start - REACH, found.end + REACH)
    i = next(i for i, p in enumerate(pieces) if p.start <= at < p.end)
    lo = hi = i
    while lo > 0 and pieces[lo - 1].person == person:
        lo -= 1
    while hi + 1 < len(pieces) and pieces[hi + 1].person == person:
        hi += 1
    return engine.Shift(person, pieces[lo].start, pieces[hi].end, pieces[i].source)


def _interval(
    schedule: engine.Schedule, start: datetime, end: datetime, person: str
) -> engine.Shift:
    """An explicit [start, end) that `person` must cover entirely."""
    if end <= start:
        raise Invalid("end must be after start", field="end")
    for piece in schedule.final(start, end):
        if piece.person != person:
            raise Invalid(
                f"{piece.person or 'nobody'} is on at {piece.start.isoformat()}, "
                f"not {person}: give only time of your own shifts",
                field="start",
            )
    return engine.Shift(person, start, end, "rotation")


def _next_run(schedule: engine.Schedule, person: str, after: datetime) -> engine.Shift:
    for piece in schedule.final(after, after + REACH):
        if piece.person == person:
            return _run(schedule, piece.start, person, "counterpart_shift")
    raise Invalid(
        f"{person} has no shift in the next {REACH.days} days; give counterpart_shift",
        field="counterpart_shift",
    )


def _days(values: Sequence[str | date]) -> list[date] | None:
    if not values:
        return None
    out = []
    for value in values:
        try:
            out.append(value if isinstance(value, date) else date.fromisoformat(str(value)))
        except ValueError:
            raise Invalid(f"days: {value!r} is not a date YYYY-MM-DD", field="days") from None
    return sorted(set(out))


def _plan(
    team: Team,
    a: Person,
    b: Person,
    *,
    shift: datetime | None,
    counterpart_shift: datetime | None,
    start: datetime | None,
    end: datetime | None,
    days: Sequence[str | date],
    now: datetime,
) -> dict[str, Any]:
    """Work out both shifts and the overrides that trade them."""
    a_name, b_name = a.user.username, b.user.username
    if a.pk == b.pk:
        raise Invalid("cannot swap with yourself", field="counterpart")
    anchor = require_aware(shift or start, "shift" if start is None else "start")
    b_at = require_aware(counterpart_shift, "counterpart_shift") if counterpart_shift else None
    points = [anchor, now] + ([b_at] if b_at else [])
    schedule = queries.schedule_for(team, min(points) - 2 * REACH, max(points) + 2 * REACH)
    if start is not None and end is not None:
        a_shift = _interval(schedule, start, require_aware(end, "end"), a_name)
    else:
        a_shift = _run(schedule, anchor, a_name, "shift" if shift else "start")
    b_shift = (
        _run(schedule, b_at, b_name, "counterpart_shift")
        if b_at
        else _next_run(schedule, b_name, max(now, a_shift.end))
    )
    chosen = _days(days)
    try:
        planned = engine.swap_overrides(
            a_name, a_shift, b_name, b_shift, chosen, queries.zone_of(team).key
        )
    except engine.ScheduleError as exc:
        raise Invalid(str(exc), field=str(exc).split(":", 1)[0]) from None
    return {
        "a_shift": a_shift,
        "b_shift": b_shift,
        "days": [d.isoformat() for d in chosen or ()],
        "plan": [{"person": p, "start": iso(lo), "end": iso(hi)} for p, lo, hi in planned],
    }


def _snapshot(sw: SwapRequest) -> dict[str, Any]:
    return {
        "team": sw.team.slug,
        "requester": sw.requester.user.username,
        "counterpart": sw.counterpart.user.username,
        "days": sw.days,
        "plan": sw.plan,
        "status": sw.status,
        "direct": sw.direct,
    }


def _create(
    team: Team,
    a: Person,
    b: Person,
    actor: Any,
    at: datetime,
    message: str,
    direct: bool,
    **where: Any,
) -> SwapRequest:
    planned = _plan(team, a, b, now=at, **where)
    return SwapRequest.objects.create(
        team=team,
        requester=a,
        counterpart=b,
        give_start=planned["a_shift"].start,
        give_end=planned["a_shift"].end,
        take_start=planned["b_shift"].start,
        take_end=planned["b_shift"].end,
        days=planned["days"],
        plan=planned["plan"],
        message=(message or "").strip()[:2000],
        direct=direct,
        created_at=at,
        created_by=user_of(actor),
    )


@transaction.atomic
def swap_request(
    requester: Person,
    *,
    team: Team,
    counterpart: Any,
    actor: Any,
    shift: datetime | None = None,
    counterpart_shift: datetime | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    days: Sequence[str | date] = (),
    message: str = "",
    now: datetime | None = None,
) -> SwapRequest:
    """Ask `counterpart` to trade: they cover the requester's shift (the one at
    `shift`, or [start, end)), the requester covers theirs (at
    `counterpart_shift`, default: their next one). `days` narrows both to
    those local dates. Nothing changes until the counterpart accepts."""
    at = now_or(now)
    a = team_member(team, requester, "person")
    b = team_member(team, counterpart, "counterpart")
    swap = _create(
        team,
        a,
        b,
        actor,
        at,
        message,
        False,
        shift=shift,
        counterpart_shift=counterpart_shift,
        start=start,
        end=end,
        days=days,
    )
    record(actor, "swap.requested", swap, at=at, after=_snapshot(swap))
    signals.swap_updated.send(SwapRequest, swap=swap, actor=actor)
    return swap


def _verify_and_apply(swap: SwapRequest, actor: Any, at: datetime) -> None:
    """Create the planned overrides if the schedule still matches the plan."""
    a, b = swap.requester.user.username, swap.counterpart.user.username
    team = lock_team(swap.team)
    items = [
        (p["person"], datetime.fromisoformat(p["start"]), datetime.fromisoformat(p["end"]))
        for p in swap.plan
    ]
    for person, lo, hi in items:
        replaced = a if person == b else b
        for piece in queries.final_schedule(team, lo, hi):
            if piece.person != replaced:
                raise Conflict(
                    f"the schedule changed since swap #{swap.pk} was asked: "
                    f"{piece.person or 'nobody'} is on at {piece.start.isoformat()}, "
                    f"not {replaced}; ask again",
                    field="swap",
                )
    for person, lo, hi in items:
        override_create(
            team,
            person=person,
            start=lo,
            end=hi,
            actor=actor,
            replace=True,
            reason=f"swap #{swap.pk}",
            swap=swap,
            now=at,
            notify=False,
        )
    emit(
        team,
        [a, b],
        "swap.accepted" if not swap.direct else "swap.direct",
        actor,
        min(i[1] for i in items),
        max(i[2] for i in items),
    )


def _pending(swap: SwapRequest) -> SwapRequest:
    """The swap, locked, if still pending."""
    swap = (
        SwapRequest.objects.select_for_update()
        .select_related("team", "requester__user", "counterpart__user")
        .get(pk=swap.pk)
    )
    if swap.status != SwapStatus.PENDING:
        raise Conflict(f"swap #{swap.pk} is already {swap.status}", field="status")
    return swap


def _finish(swap: SwapRequest, status: str, actor: Any, at: datetime, action: str) -> None:
    before = swap.status
    swap.status, swap.decided_at, swap.decided_by = status, at, user_of(actor)
    swap.save(update_fields=["status", "decided_at", "decided_by"])
    record(actor, action, swap, at=at, before={"status": before}, after={"status": status})
    signals.swap_updated.send(SwapRequest, swap=swap, actor=actor)


def _require_counterpart(swap: SwapRequest, actor: Any, verb: str) -> None:
    if getattr(user_of(actor), "pk", None) != swap.counterpart.user_id:
        raise Forbidden(f"only {swap.counterpart.user.username} can {verb} swap #{swap.pk}")


@transaction.atomic
def swap_accept(swap: SwapRequest, actor: Any, now: datetime | None = None) -> SwapRequest:
    """The counterpart accepts: every planned override is created, or none."""
    at = now_or(now)
    swap = _pending(swap)
    _require_counterpart(swap, actor, "accept")
    _verify_and_apply(swap, actor, at)
    _finish(swap, SwapStatus.ACCEPTED, actor, at, "swap.accepted")
    return swap


@transaction.atomic
def swap_decline(swap: SwapRequest, actor: Any, now: datetime | None = None) -> SwapRequest:
    at = now_or(now)
    swap = _pending(swap)
    _require_counterpart(swap, actor, "decline")
    _finish(swap, SwapStatus.DECLINED, actor, at, "swap.declined")
    return swap


@transaction.atomic
def swap_cancel(swap: SwapRequest, actor: Any, now: datetime | None = None) -> SwapRequest:
    """The requester (or a lead of the team) withdraws a pending request."""
    at = now_or(now)
    swap = _pending(swap)
    user = user_of(actor)
    if getattr(user, "pk", None) != swap.requester.user_id and not access.can_admin_team(
        user, swap.team
    ):
        raise Forbidden(f"only {swap.requester.user.username} or a lead can cancel swap #{swap.pk}")
    _finish(swap, SwapStatus.CANCELLED, actor, at, "swap.cancelled")
    return swap


@transaction.atomic
def swap_direct(
    *,
    team: Team,
    person: Any,
    counterpart: Any,
    actor: Any,
    shift: datetime | None = None,
    counterpart_shift: datetime | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    days: Sequence[str | date] = (),
    message: str = "",
    now: datetime | None = None,
) -> SwapRequest:
    """A lead swaps two people's shifts at once (same rules, no acceptance)."""
    at = now_or(now)
    if not access.can_admin_team(user_of(actor), team):
        raise Forbidden(f"only a lead of {team.name} can swap shifts directly")
    a = team_member(team, person, "person")
    b = team_member(team, counterpart, "counterpart")
    swap = _create(
        team,
        a,
        b,
        actor,
        at,
        message,
        True,
        shift=shift,
        counterpart_shift=counterpart_shift,
        start=start,
        end=end,
        days=days,
    )
    record(actor, "swap.requested", swap, at=at, after=_snapshot(swap))
    _verify_and_apply(swap, actor, at)
    _finish(swap, SwapStatus.ACCEPTED, actor, at, "swap.direct")
    return swap
