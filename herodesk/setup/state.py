"""The desk's current setup as plain data, in the setup file's normal form
(see herodesk.domain.config.diff): what `export` writes and `apply` compares."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from herodesk.customers.models import Organization
from herodesk.domain.business_hours import WEEKDAYS
from herodesk.domain.config.fields import hours_from_spec, join_holidays
from herodesk.domain.config.schema import entry_key
from herodesk.domain.tiers import Tier
from herodesk.intake.models import GitHubRepository, RoutingRule, SlackChannel
from herodesk.rotations.models import RotationVersion
from herodesk.teams.models import Membership, Person, Team, default_hours
from herodesk.tickets.models import Macro

# What a new entry gets when the file leaves a key out (export leaves these out).
_HOURS = hours_from_spec(default_hours())
DEFAULTS: dict[str, dict[str, Any]] = {
    "person": {"kind": "engineer", "time_zone": "Europe/London", "hours": _HOURS, "holidays": "",
               "slack_user": "", "admin": False, "active": True},
    "team": {"aliases": [], "time_zone": "Europe/London", "hours": _HOURS, "holidays": "",
             "sla": {}, "slack_channel": "", "email": "", "auto_close_days": 0, "archived": False},
    "slack_channel": {"redirect_text": ""},
    "github_repository": {"enabled": True},
    "routing_rule": {"enabled": True},
    "macro": {"kind": "public", "set_status": "", "position": 100},
}  # fmt: skip


def local_start(when: Any, zone: str) -> str:
    local = when.astimezone(ZoneInfo(zone))
    return local.strftime("%Y-%m-%dT%H:%M" + (":%S" if local.second else ""))


def _people() -> dict[str, dict[str, Any]]:
    out = {}
    for p in Person.objects.select_related("user").order_by("user__username"):
        u = p.user
        out[u.username] = {
            "name": u.get_full_name(),
            "email": u.email,
            "kind": p.kind,
            "time_zone": p.time_zone,
            "hours": hours_from_spec(p.hours),
            "holidays": join_holidays(p.holiday_country, p.holiday_subdiv),
            "slack_user": p.slack_user_id,
            "admin": u.is_superuser,
            "active": u.is_active,
        }
    return out


def rotation_of(v: RotationVersion) -> dict[str, Any]:
    return {
        "members": v.usernames(),
        "start": local_start(v.start, v.time_zone),
        "turn_days": v.turn_days,
        "handoff_time": v.handoff_time.strftime("%H:%M"),
        "handoff_day": WEEKDAYS[v.handoff_weekday] if v.handoff_weekday is not None else "",
        "time_zone": v.time_zone,
        "restrictions": [
            f"{WEEKDAYS[w['weekday']]} {w['start']}-{w['end']}" for w in v.restrictions
        ],
    }


def _rotations() -> dict[int, dict[str, Any]]:
    """Each team's latest rotation version (the one that runs on)."""
    latest: dict[int, RotationVersion] = {}
    versions = RotationVersion.objects.filter(effective_until__isnull=True).prefetch_related(
        "slots__person__user"
    )
    for v in versions.order_by("id"):
        latest[v.team_id] = v
    return {team_id: rotation_of(v) for team_id, v in latest.items()}


def sla_by_name(targets: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {Tier(int(k)).slug: dict(v) for k, v in sorted(targets.items())}


def _teams() -> dict[str, dict[str, Any]]:
    members: dict[int, dict[str, str]] = {}
    rows = Membership.objects.select_related("person__user").order_by("id")
    for m in rows:
        members.setdefault(m.team_id, {})[m.person.user.username] = m.role
    rotations = _rotations()
    return {
        t.slug: {
            "name": t.name,
            "aliases": list(t.aliases),
            "time_zone": t.time_zone,
            "hours": hours_from_spec(t.hours),
            "holidays": join_holidays(t.holiday_country, t.holiday_subdiv),
            "sla": sla_by_name(t.sla_targets),
            "slack_channel": t.slack_channel,
            "email": t.email,
            "auto_close_days": t.auto_close_days or 0,
            "archived": t.archived_at is not None,
            "members": members.get(t.pk, {}),
            "rotation": rotations.get(t.pk),
        }
        for t in Team.objects.order_by("slug")
    }


def rule_values(r: RoutingRule) -> dict[str, Any]:
    return {
        "team": r.team.slug,
        "name": r.name,
        "position": r.position,
        "enabled": r.enabled,
        "channel": r.channel,
        "repository": r.repository,
        "slack_channel": r.slack_channel,
        "sentry_project": r.sentry_project,
        "page": r.page,
        "topic": r.topic,
        "keywords": list(r.keywords),
        "organization": r.organization.name if r.organization else "",
    }


def rules_by_key() -> dict[str, RoutingRule]:
    out: dict[str, RoutingRule] = {}
    for r in RoutingRule.objects.select_related("team", "organization").order_by("position", "id"):
        key = entry_key("routing_rule", rule_values(r))
        out[key if key not in out else f"{key}#{r.pk}"] = r
    return out


def macro_values(m: Macro) -> dict[str, Any]:
    return {
        "name": m.name,
        "team": m.team.slug if m.team else "",
        "kind": m.kind,
        "set_status": m.set_status,
        "position": m.position,
        "body": m.body,
    }


def macros_by_key() -> dict[str, Macro]:
    rows = Macro.objects.select_related("team").order_by("position", "name", "id")
    return {entry_key("macro", macro_values(m)): m for m in rows}


def read() -> dict[str, Any]:
    """Everything the setup file describes, as the desk has it now."""
    return {
        "person": _people(),
        "team": _teams(),
        "slack_channel": {
            c.channel_id: {"name": c.name, "kind": c.kind, "redirect_text": c.redirect_text}
            for c in SlackChannel.objects.order_by("channel_id")
        },
        "github_repository": {
            r.full_name: {"enabled": r.enabled} for r in GitHubRepository.objects.all()
        },
        "routing_rule": {k: rule_values(r) for k, r in rules_by_key().items()},
        "macro": {k: macro_values(m) for k, m in macros_by_key().items()},
        "organizations": list(Organization.objects.values_list("name", flat=True)),
    }


def read_slack_channel(channel_id: str) -> dict[str, Any]:
    c = SlackChannel.objects.filter(channel_id=channel_id).first()
    return {"name": c.name, "kind": c.kind, "redirect_text": c.redirect_text} if c else {}
