"""Writes to team settings (`team_<verb>`): one transaction, audited.

Callers check roles first (access.require_team_admin).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from herodesk.audit.log import record
from herodesk.domain.business_hours import Calendar, CalendarError
from herodesk.errors import Invalid
from herodesk.teams.models import Team
from herodesk.tickets.sla import validate_targets


def _hours_snapshot(team: Team) -> dict[str, Any]:
    return {
        "time_zone": team.time_zone,
        "hours": team.hours,
        "holiday_country": team.holiday_country,
        "holiday_subdiv": team.holiday_subdiv,
    }


@transaction.atomic
def team_set_support_hours(
    team: Team,
    *,
    actor: Any,
    time_zone: str,
    hours: dict[str, Any],
    holiday_country: str = "",
    holiday_subdiv: str = "",
) -> Team:
    """The team's support hours: zone, weekly windows, holidays (SLA clocks use them)."""
    try:
        cal = Calendar.from_spec(time_zone, hours, holiday_country or None, holiday_subdiv or None)
    except CalendarError as exc:
        raise Invalid(f"support hours: {exc}", field="hours") from None
    team = Team.objects.select_for_update().get(pk=team.pk)
    before = _hours_snapshot(team)
    team.time_zone, team.hours = time_zone, cal.to_spec()
    team.holiday_country = (holiday_country or "").upper()
    team.holiday_subdiv = holiday_subdiv or ""
    team.save(update_fields=["time_zone", "hours", "holiday_country", "holiday_subdiv"])
    after = _hours_snapshot(team)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        record(
            actor,
            "team.support_hours",
            team,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return team


@transaction.atomic
def team_set_sla_targets(team: Team, *, actor: Any, targets: Any) -> Team:
    """Per-tier response targets in minutes ({} = the seed's defaults).

    Clocks already running keep their due times; new clocks use the targets.
    """
    clean = validate_targets(targets)
    team = Team.objects.select_for_update().get(pk=team.pk)
    before = team.sla_targets
    if clean != before:
        team.sla_targets = clean
        team.save(update_fields=["sla_targets"])
        record(
            actor,
            "team.sla_targets",
            team,
            before={"sla_targets": before},
            after={"sla_targets": clean},
        )
    return team
