"""Glue between tickets and the pure SLA core: calendars and targets per ticket."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from herodesk.domain import sla
from herodesk.domain.business_hours import Calendar
from herodesk.domain.tiers import Tier
from herodesk.teams.models import Team, calendar_for, default_hours


def default_calendar() -> Calendar:
    return calendar_for(settings.HERODESK_DEFAULT_TIME_ZONE, default_hours(), "", "")


def calendar_of(team: Team | None) -> Calendar:
    return team.calendar() if team is not None else default_calendar()


def targets_for(team: Team | None, tier: int) -> sla.Targets:
    """The team's targets for a tier (minutes in Team.sla_targets), else the seed's."""
    base = sla.DEFAULT_TARGETS[Tier(tier)]
    if team is None or not team.sla_targets:
        return base
    custom = team.sla_targets.get(str(int(tier)))
    if not custom:
        return base
    return sla.Targets(
        great=timedelta(minutes=custom.get("great", base.great.total_seconds() / 60)),
        okay=timedelta(minutes=custom.get("okay", base.okay.total_seconds() / 60)),
        late=timedelta(minutes=custom.get("late", base.late.total_seconds() / 60)),
    )


def padded(targets: sla.Targets, paused: timedelta) -> sla.Targets:
    """Targets pushed later by working time spent paused (pending)."""
    if not paused:
        return targets
    return sla.Targets(
        great=targets.great + paused, okay=targets.okay + paused, late=targets.late + paused
    )


def due(team: Team | None, tier: int, start: datetime, paused: timedelta) -> sla.Due:
    return sla.due_times(calendar_of(team), start, padded(targets_for(team, tier), paused))


def grade(team: Team | None, tier: int, start: datetime, at: datetime, paused: timedelta) -> str:
    targets = padded(targets_for(team, tier), paused)
    return str(sla.grade(calendar_of(team), start, at, targets).value)
