"""Rotation signals → notices: "your shifts changed" (to each person whose
shifts an override, swap or rotation change touched, and the team channel)
and swap requests and answers (to the other person)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.dispatch import receiver
from django.utils import timezone

from herodesk.notify import common, notices, slack
from herodesk.rotations import queries as rotations
from herodesk.rotations.models import SwapRequest, SwapStatus
from herodesk.rotations.signals import schedule_changed, swap_updated
from herodesk.teams.models import Team

HORIZON = timedelta(days=28)
REASONS = {
    "rotation": "the rotation was changed",
    "override.created": "an override was added",
    "override.deleted": "an override was removed",
    "swap.accepted": "a swap was accepted",
    "swap.direct": "a lead swapped shifts",
}


def _actor_name(actor: Any) -> str:
    return common.name_of(actor) if isinstance(actor, AbstractBaseUser) else str(actor or "system")


def _runs(shifts: list[Any]) -> list[tuple[str | None, datetime, datetime]]:
    """Consecutive pieces of the same person merged into one run."""
    runs: list[tuple[str | None, datetime, datetime]] = []
    for s in shifts:
        if runs and runs[-1][0] == s.person and runs[-1][2] == s.start:
            runs[-1] = (s.person, runs[-1][1], s.end)
        else:
            runs.append((s.person, s.start, s.end))
    return runs


def _span(lo: datetime, hi: datetime, tz: Any) -> str:
    return f"{common.local(lo, tz)} – {common.local(hi, tz)}"


@receiver(schedule_changed, dispatch_uid="notify.schedule_changed")
def on_schedule_changed(
    sender: Any,
    team: Team,
    people: list[Any],
    reason: str,
    actor: Any,
    start: datetime,
    end: datetime | None = None,
    **kwargs: Any,
) -> None:
    now = timezone.now()
    lo = max(start, now)
    hi = min(end, lo + HORIZON) if end is not None else lo + HORIZON
    if hi <= lo:
        return  # a change of the past only
    runs = _runs(rotations.final_schedule(team, lo, hi))
    change = uuid.uuid4().hex[:12]
    why = f"{REASONS.get(reason, reason)} by {_actor_name(actor)}"
    for person in people:
        if not (isinstance(actor, AbstractBaseUser) and actor.pk == person.user_id):
            _tell_person(person, team, runs, why, lo, hi, key=f"schedule:{team.pk}:{change}")
    tz = common.zone(team.time_zone)
    users = _users({who for who, _, _ in runs if who})
    summary = [
        f":repeat: {slack.esc(team.name)}: {slack.esc(why)}. Who is on, {_span(lo, hi, tz)}:"
    ]
    summary += [f"• {_span(a, b, tz)}: {_who(users, who)}" for who, a, b in runs]
    notices.to_channel(
        team,
        key=f"schedule:{team.pk}:{change}",
        kind="schedule_changed",
        text="\n".join(summary[:30]),
    )


def _who(users: dict[str, Any], username: str | None) -> str:
    if username is None:
        return "_nobody (gap)_"
    return slack.mention(users[username]) if username in users else slack.esc(username)


def _tell_person(
    person: Any,
    team: Team,
    runs: list[tuple[str | None, datetime, datetime]],
    why: str,
    lo: datetime,
    hi: datetime,
    *,
    key: str,
) -> None:
    user = person.user
    tz = common.zone(person.time_zone)
    mine = [_span(a, b, tz) for who, a, b in runs if who == user.get_username()]
    window = f"{common.local(lo, tz)} and {common.local(hi, tz)}"
    lines = [
        f"Your Support Hero shifts for {team.name} changed: {why}.",
        f"Between {window} you are on:" if mine else f"You have no shifts between {window}.",
    ]
    lines += [f"• {m}" for m in mine]
    notices.to_person(
        user,
        key=f"{key}:{user.get_username()}",
        kind="schedule_changed",
        team=team,
        lines=lines,
        subject=f"Your Support Hero shifts for {team.name} changed",
        slack_text=f":repeat: {slack.esc(' '.join(lines[:2]))}\n"
        + "\n".join(slack.esc(m) for m in lines[2:]),
    )


def _users(usernames: set[str]) -> dict[str, Any]:
    qs = get_user_model().objects.select_related("person").filter(username__in=usernames)
    return {u.get_username(): u for u in qs}


def _swap_lines(swap: SwapRequest, tz: Any) -> list[str]:
    return [
        f"{swap.counterpart.display_name} covers {swap.requester.display_name}'s "
        f"{_span(swap.give_start, swap.give_end, tz)};",
        f"{swap.requester.display_name} covers {swap.counterpart.display_name}'s "
        f"{_span(swap.take_start, swap.take_end, tz)}.",
    ]


@receiver(swap_updated, dispatch_uid="notify.swap_updated")
def on_swap_updated(sender: Any, swap: SwapRequest, actor: Any = None, **kwargs: Any) -> None:
    actor_pk = actor.pk if isinstance(actor, AbstractBaseUser) else None
    if swap.status == SwapStatus.PENDING:
        person, other = swap.counterpart, swap.requester
        head = f"{other.display_name} asks you to swap Support Hero shifts on {swap.team.name}:"
        tail = [f"Their message: “{swap.message}”"] if swap.message else []
        tail.append(f"Accept or decline in HeroDesk (swap #{swap.pk}).")
    elif swap.status in (SwapStatus.ACCEPTED, SwapStatus.DECLINED):
        person, other = swap.requester, swap.counterpart
        head = (
            f"{other.display_name} {swap.status} your swap request #{swap.pk} on {swap.team.name}:"
        )
        tail = []
    else:  # cancelled: the counterpart need not answer any more
        person, other = swap.counterpart, swap.requester
        head = f"{other.display_name} cancelled swap request #{swap.pk} on {swap.team.name}:"
        tail = []
    if person.user_id == actor_pk or swap.direct:
        return
    lines = [head, *_swap_lines(swap, common.zone(person.time_zone)), *tail]
    notices.to_person(
        person.user,
        key=f"swap:{swap.pk}:{swap.status}:{person.user_id}",
        kind="swap",
        team=swap.team,
        lines=lines,
        subject=f"Swap #{swap.pk} on {swap.team.name}: {swap.status}",
        slack_text=":arrows_counterclockwise: " + slack.esc("\n".join(lines)),
    )
