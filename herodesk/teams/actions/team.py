"""Writes to teams (`team_<verb>`) and their members (`membership_set`): one
transaction each, audited. Callers check roles first (access.require_team_admin;
creating and archiving teams is for admins). Removing a member and deleting a
team look at rotations and tickets, so they live above
(`herodesk.rotations.actions.departures`).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.domain.business_hours import Calendar, CalendarError
from herodesk.domain.holiday_regions import missing_subdivision
from herodesk.lib.errors import Conflict, Invalid
from herodesk.teams.actions.people import clean_email
from herodesk.teams.checks import validate_targets
from herodesk.teams.models import Membership, Person, Team, default_hours
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


def _settings(team: Team) -> dict[str, Any]:
    return {
        **_hours_snapshot(team),
        "name": team.name,
        "aliases": team.aliases,
        "slack_channel": team.slack_channel,
        "email": team.email,
        "auto_close_days": team.auto_close_days,
        "sla_targets": team.sla_targets,
    }


def _support_hours(team: Team, given: dict[str, Any]) -> None:
    country = given.get("holiday_country")
    subdiv = given.get("holiday_subdivision")
    country = team.holiday_country if country is None else country
    subdiv = team.holiday_subdiv if subdiv is None else subdiv
    cal = checked_calendar(
        tz if (tz := given.get("time_zone")) is not None else team.time_zone,
        given.get("hours") if given.get("hours") is not None else team.hours,
        country,
        subdiv,
        field="support_hours",
    )
    _set_hours(team, cal, country, subdiv)


def _plain_settings(team: Team, values: dict[str, Any]) -> None:
    if values.get("name") is not None:
        team.name = _clean_name(values["name"])
    if values.get("aliases") is not None:
        team.aliases = [a.strip() for a in values["aliases"] if a.strip()]
    if values.get("slack_channel") is not None:
        team.slack_channel = values["slack_channel"].strip()[:80]
    if values.get("email") is not None:
        team.email = clean_email(values["email"]) if values["email"].strip() else ""
    days = values.get("auto_close_days")
    if days is not None:
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 365:
            raise Invalid("auto_close_days is 0 (off) to 365", field="auto_close_days")
        team.auto_close_days = days or None


@transaction.atomic
def team_update(
    team: Team,
    *,
    actor: Any,
    support_hours: dict[str, Any] | None = None,
    sla_targets: Any = None,
    **values: Any,
) -> Team:
    """Change any of a team's settings at once (the API's PATCH): every value is
    checked before anything is written; one `team.updated` event lists what changed.

    `values`: name, aliases, slack_channel, email, auto_close_days (None: keep).
    `support_hours` may hold any of time_zone, hours, holiday_country,
    holiday_subdivision; missing keys keep the team's current values.
    """
    unknown = set(values) - {"name", "aliases", "slack_channel", "email", "auto_close_days"}
    if unknown:
        raise TypeError(f"team_update: unknown settings {sorted(unknown)}")
    team = Team.objects.select_for_update().get(pk=team.pk)
    before = _settings(team)
    if support_hours is not None:
        _support_hours(team, support_hours)
    if sla_targets is not None:
        team.sla_targets = validate_targets(sla_targets)
    _plain_settings(team, values)
    team.save()
    _record_changes(actor, "team.updated", team, before, _settings(team))
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


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ROLES = (Membership.LEAD, Membership.MEMBER)


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("name must not be empty", field="name")
    if len(name) > 120:
        raise Invalid("name is too long (at most 120 characters)", field="name")
    return name


@transaction.atomic
def team_create(
    *,
    slug: str,
    name: str,
    actor: Any,
    time_zone: str = "Europe/London",
    hours: dict[str, Any] | None = None,
    holiday_country: str = "",
    holiday_subdiv: str = "",
) -> Team:
    """A new team with support hours (Mon–Fri 09:00–17:00 unless given)."""
    slug = (slug or "").strip().lower()
    if not SLUG.fullmatch(slug) or len(slug) > 50:
        raise Invalid(
            "a slug is lower-case letters, digits and dashes (pipeline, infra-eu)", field="slug"
        )
    cal = checked_calendar(time_zone, hours or default_hours(), holiday_country, holiday_subdiv)
    team = Team(
        slug=slug,
        name=_clean_name(name),
        time_zone=cal.time_zone,
        hours=cal.to_spec(),
        holiday_country=(holiday_country or "").upper(),
        holiday_subdiv=holiday_subdiv or "",
    )
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise Conflict(f"a team with the slug {slug!r} exists", field="slug") from None
    record(actor, "team.created", team, after={"slug": slug, "name": team.name})
    return team


@transaction.atomic
def team_set_archived(team: Team, *, actor: Any, archived: bool) -> Team:
    """Archived teams keep their tickets and history; they leave menus and routing."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    if bool(team.archived_at) == archived:
        return team
    before = {"archived": bool(team.archived_at)}
    team.archived_at = timezone.now() if archived else None
    team.save(update_fields=["archived_at"])
    action = "team.archived" if archived else "team.unarchived"
    record(actor, action, team, before=before, after={"archived": archived})
    return team


@transaction.atomic
def membership_set(team: Team, person: Person, *, role: str, actor: Any) -> Membership:
    """Put `person` on `team` as lead or member (or change their role)."""
    if role not in ROLES:
        raise Invalid('role is "lead" or "member"', field="role")
    if not person.user.is_active:
        raise Invalid(f"{person.user.username} is deactivated", field="username")
    row, created = Membership.objects.select_for_update().get_or_create(
        team=team, person=person, defaults={"role": role}
    )
    if created:
        after = {"team": team.slug, "person": person.user.username, "role": role}
        record(actor, "membership.added", row, after=after)
    elif row.role != role:
        before = row.role
        row.role = role
        row.save(update_fields=["role"])
        record(actor, "membership.role", row, before={"role": before}, after={"role": role})
    return row
