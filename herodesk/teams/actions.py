"""Writes to team settings (`team_<verb>`): one transaction, audited.

Callers check roles first (access.require_team_admin).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction

from herodesk.audit.log import record
from herodesk.domain.business_hours import Calendar, CalendarError
from herodesk.domain.holiday_regions import missing_subdivision
from herodesk.lib.errors import Invalid
from herodesk.teams.checks import validate_targets
from herodesk.teams.models import ApiToken, Team, hash_token
from herodesk.teams.signals import calendar_changed


def _hours_snapshot(team: Team) -> dict[str, Any]:
    return {
        "time_zone": team.time_zone,
        "hours": team.hours,
        "holiday_country": team.holiday_country,
        "holiday_subdiv": team.holiday_subdiv,
    }


def checked_calendar(
    time_zone: str, hours: Any, country: str, subdiv: str, *, field: str = "hours"
) -> Calendar:
    """The calendar of a support-hours spec, or Invalid naming `field`.

    `GB` needs a subdivision unless the zone tells it (Europe/London → ENG):
    the `holidays` package's GB list lacks Easter Monday and the August bank
    holiday (domain.holiday_regions)."""
    missing = missing_subdivision(country, subdiv, time_zone)
    if missing:
        raise Invalid(f"support hours: {missing}", field=field)
    try:
        return Calendar.from_spec(time_zone, hours, country or None, subdiv or None)
    except CalendarError as exc:
        raise Invalid(f"support hours: {exc}", field=field) from None


def _set_hours(team: Team, cal: Calendar, country: str, subdiv: str) -> None:
    team.time_zone, team.hours = cal.time_zone, cal.to_spec()
    team.holiday_country = (country or "").upper()
    team.holiday_subdiv = cal.holiday_subdiv or ""  # GB in London → ENG, as used


def _recompute_clocks(team: Team, actor: Any, before: dict[str, Any]) -> Team:
    """After a change of targets or hours: move the running clocks (receivers of
    `calendar_changed` in the tickets app) and keep how many moved on the team."""
    now = {**_hours_snapshot(team), "sla_targets": team.sla_targets}
    team.clocks_recomputed = 0
    if any(before.get(k, now[k]) != now[k] for k in now):
        answers: list[tuple[Any, Any]] = calendar_changed.send(sender=Team, team=team, actor=actor)
        team.clocks_recomputed = sum(a for _r, a in answers if isinstance(a, int))
    return team


def _record_changes(
    actor: Any, action: str, team: Team, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """One audit event with only the keys that changed (none if nothing did)."""
    changed = [k for k in after if after[k] != before.get(k)]
    if changed:
        record(
            actor,
            action,
            team,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
        )


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
    cal = checked_calendar(time_zone, hours, holiday_country, holiday_subdiv)
    team = Team.objects.select_for_update().get(pk=team.pk)
    before = _hours_snapshot(team)
    _set_hours(team, cal, holiday_country, holiday_subdiv)
    team.save(update_fields=["time_zone", "hours", "holiday_country", "holiday_subdiv"])
    _record_changes(actor, "team.support_hours", team, before, _hours_snapshot(team))
    return _recompute_clocks(team, actor, before)


@transaction.atomic
def team_update(
    team: Team,
    *,
    actor: Any,
    name: str | None = None,
    aliases: list[str] | None = None,
    slack_channel: str | None = None,
    support_hours: dict[str, Any] | None = None,
    sla_targets: Any = None,
) -> Team:
    """Change any of a team's settings at once (the API's PATCH): every value is
    checked before anything is written; one `team.updated` event lists what changed.

    `support_hours` may hold any of time_zone, hours, holiday_country,
    holiday_subdivision; missing keys keep the team's current values.
    """
    team = Team.objects.select_for_update().get(pk=team.pk)
    before = {
        **_hours_snapshot(team),
        "name": team.name,
        "aliases": team.aliases,
        "slack_channel": team.slack_channel,
        "sla_targets": team.sla_targets,
    }
    if support_hours is not None:
        country = support_hours.get("holiday_country")
        subdiv = support_hours.get("holiday_subdivision")
        country = team.holiday_country if country is None else country
        subdiv = team.holiday_subdiv if subdiv is None else subdiv
        cal = checked_calendar(
            tz if (tz := support_hours.get("time_zone")) is not None else team.time_zone,
            support_hours.get("hours") if support_hours.get("hours") is not None else team.hours,
            country,
            subdiv,
            field="support_hours",
        )
        _set_hours(team, cal, country, subdiv)
    if sla_targets is not None:
        team.sla_targets = validate_targets(sla_targets)
    if name is not None:
        team.name = name
    if aliases is not None:
        team.aliases = [a.strip() for a in aliases if a.strip()]
    if slack_channel is not None:
        team.slack_channel = slack_channel.strip()
    team.save()
    after = {
        **_hours_snapshot(team),
        "name": team.name,
        "aliases": team.aliases,
        "slack_channel": team.slack_channel,
        "sla_targets": team.sla_targets,
    }
    _record_changes(actor, "team.updated", team, before, after)
    return _recompute_clocks(team, actor, before)


@transaction.atomic
def team_set_sla_targets(team: Team, *, actor: Any, targets: Any) -> Team:
    """Per-tier response targets in minutes ({} = the seed's defaults).

    Clocks already running move to the new targets in the same transaction;
    `team.clocks_recomputed` says how many tickets moved.
    """
    clean = validate_targets(targets)
    team = Team.objects.select_for_update().get(pk=team.pk)
    before = {"sla_targets": team.sla_targets}
    if clean != before["sla_targets"]:
        team.sla_targets = clean
        team.save(update_fields=["sla_targets"])
    _record_changes(actor, "team.sla_targets", team, before, {"sla_targets": clean})
    return _recompute_clocks(team, actor, before)


@transaction.atomic
def token_issue(user: Any, name: str = "", *, actor: Any = "cli") -> tuple[ApiToken, str]:
    """A new API bearer token for `user`: (row, raw value). Only the SHA-256 is
    stored; the raw value is shown once by the caller."""
    raw = "hd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=hash_token(raw), prefix=raw[:10])
    record(
        actor, "token.issued", token, after={"user": user.get_username(), "prefix": token.prefix}
    )
    return token, raw
