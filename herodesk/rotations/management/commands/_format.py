"""Shared formatting and parsing for the `who` and `schedule` commands."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.management.base import CommandError

from herodesk.lib.errors import ActionError, NotFound
from herodesk.rotations import present
from herodesk.teams.models import Team


def local(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%a %Y-%m-%d %H:%M %Z")


def team_named(slug: str, argument: str = "TEAM") -> Team:
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        known = ", ".join(Team.objects.order_by("slug").values_list("slug", flat=True))
        raise CommandError(f"{argument}: no team {slug!r} (teams: {known or 'none yet'})")
    return team


def instant(value: str | None, argument: str, zone: ZoneInfo | None, default: datetime) -> datetime:
    try:
        return present.parse_instant(value, argument, zone, default=default)
    except (ActionError, NotFound) as exc:
        raise CommandError(exc.message) from None
