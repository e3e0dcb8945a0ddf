"""Demo overrides and swaps (called by `herodesk demo`).

The rotations themselves come from desk.toml (weekly, Monday 09:00 in each
team's zone). On top: Product Analytics and Monitoring get an override,
Feature Success a pending swap request. A team that already has overrides or
swaps is left alone, so loading twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import IO
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from herodesk.rotations import actions, common, queries
from herodesk.rotations.models import Override, RotationVersion, SwapRequest
from herodesk.teams.models import Membership, Team

ACTOR = "demo"


def _monday_nine(zone: ZoneInfo, now: datetime, weeks_back: int) -> datetime:
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday() + 7 * weeks_back)
    return datetime.combine(monday, time(9, 0), zone)


def _members(team: Team) -> list[str]:
    return list(
        Membership.objects.filter(team=team)
        .order_by("id")
        .values_list("person__user__username", flat=True)
    )


def _cover(team: Team, members: list[str], start: datetime, end: datetime, reason: str) -> None:
    """The first member who is not on at `start` covers [start, end)."""
    on = queries.oncall(team, start).person
    person = next(m for m in members if m != on)
    actions.override_create(team, person=person, start=start, end=end, actor=ACTOR, reason=reason)


def _override_next_wednesday(team: Team, now: datetime, members: list[str]) -> None:
    zone = ZoneInfo(team.time_zone)
    monday = _monday_nine(zone, now, -1)
    start = datetime.combine(monday.date() + timedelta(days=2), time(0), zone)
    _cover(team, members, start, start + timedelta(days=1), "covering a dentist appointment")


def _afternoon_override(team: Team, now: datetime, members: list[str]) -> None:
    zone = ZoneInfo(team.time_zone)
    day = now.astimezone(zone).date() + timedelta(days=1)
    start = datetime.combine(day, time(13, 0), zone)
    _cover(team, members, start, start + timedelta(hours=4), "hero at a customer workshop")


def _pending_swap(team: Team, now: datetime, members: list[str]) -> None:
    """Next week's hero asks the one after to trade weeks."""
    zone = ZoneInfo(team.time_zone)
    next_week = _monday_nine(zone, now, -1) + timedelta(hours=3)
    week_after = next_week + timedelta(days=7)
    a, b = queries.oncall(team, next_week).person, queries.oncall(team, week_after).person
    if a and b and a != b:
        requester = common.team_member(team, a, "person")
        actions.swap_request(
            requester,
            team=team,
            counterpart=b,
            shift=next_week,
            counterpart_shift=week_after,
            actor=ACTOR,
            message="Conference that week — could we trade? Thanks!",
        )


EXTRAS: dict[str, Callable[[Team, datetime, list[str]], None]] = {
    "product-analytics": _override_next_wednesday,
    "monitoring": _afternoon_override,
    "feature-success": _pending_swap,
}


def load(out: IO[str]) -> None:
    """Overrides and a swap request on top of desk.toml's rotations (once)."""
    now = timezone.now()
    made = 0
    for team in Team.objects.filter(slug__in=EXTRAS).order_by("name"):
        members = _members(team)
        if len(members) < 2 or not RotationVersion.objects.filter(team=team).exists():
            continue
        if Override.objects.filter(team=team).exists():
            continue
        if SwapRequest.objects.filter(team=team).exists():
            continue
        with transaction.atomic():
            EXTRAS[team.slug](team, now, members)
        made += 1
    out.write(
        f"Added overrides and swaps for {made} teams.\n"
        if made
        else "Demo overrides and swaps already there; nothing to add.\n"
    )
