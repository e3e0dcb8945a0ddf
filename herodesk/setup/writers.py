"""One function per kind of change: each calls the app's actions, the same ones
the API and the pages call. Values arrive in the setup file's normal form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from herodesk.domain.business_hours import WEEKDAYS
from herodesk.domain.config.diff import Change
from herodesk.domain.config.fields import hours_to_spec, split_holidays
from herodesk.domain.tiers import Tier
from herodesk.intake import actions as intake_actions
from herodesk.intake.models import GitHubRepository, SlackChannel
from herodesk.lib.errors import NotFound
from herodesk.rotations import actions as rotation_actions
from herodesk.setup import state
from herodesk.teams import actions as team_actions
from herodesk.teams.models import Person, Team
from herodesk.tickets.actions import macros

Writer = Callable[[Change, Any], None]


def team_named(slug: str) -> Team:
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise NotFound(f"no team {slug!r}")
    return team


def person_named(username: str) -> Person:
    person = Person.objects.select_related("user").filter(user__username=username).first()
    if person is None:
        raise NotFound(f"no person {username!r}")
    return person


# --- people -------------------------------------------------------------------------------


def _person_hours(person: Person, values: dict[str, Any], actor: Any) -> None:
    if not {"time_zone", "hours", "holidays"} & set(values):
        return
    country, subdiv = split_holidays(values["holidays"]) if "holidays" in values else (None, None)
    rotation_actions.person_set_hours(
        person,
        actor=actor,
        time_zone=values.get("time_zone"),
        hours=hours_to_spec(values["hours"]) if "hours" in values else None,
        holiday_country=country,
        holiday_subdiv=subdiv,
    )


def _person_active(person: Person, values: dict[str, Any], actor: Any) -> None:
    if "active" not in values or values["active"] == person.user.is_active:
        return
    if values["active"]:
        rotation_actions.person_reactivate(person, actor=actor)
    else:
        rotation_actions.person_deactivate(person, actor=actor)


def person_add(change: Change, actor: Any) -> None:
    v = change.after
    person = team_actions.person_create(
        username=change.key,
        email=v.get("email", ""),
        name=v.get("name", ""),
        kind=v.get("kind", "engineer"),
        time_zone=v.get("time_zone", "Europe/London"),
        slack_user_id=v.get("slack_user", ""),
        is_admin=v.get("admin", False),
        actor=actor,
    )
    _person_hours(person, {k: x for k, x in v.items() if k != "time_zone"}, actor)
    _person_active(person_named(change.key), v, actor)


def person_change(change: Change, actor: Any) -> None:
    v, person = change.after, person_named(change.key)
    fields = {
        "name": "name",
        "email": "email",
        "kind": "kind",
        "slack_user": "slack_user_id",
        "admin": "is_admin",
    }
    given = {arg: v[key] for key, arg in fields.items() if key in v}
    if given:
        team_actions.person_update(person, actor=actor, **given)
    _person_hours(person, v, actor)
    _person_active(person_named(change.key), v, actor)


def person_remove(change: Change, actor: Any) -> None:
    rotation_actions.person_deactivate(person_named(change.key), actor=actor)


# --- teams --------------------------------------------------------------------------------


def sla_by_tier(value: dict[str, Any]) -> dict[str, Any]:
    return {str(Tier[name.upper()].value): targets for name, targets in value.items()}


def _team_settings(team: Team, v: dict[str, Any], actor: Any) -> None:
    hours: dict[str, Any] = {}
    if "time_zone" in v:
        hours["time_zone"] = v["time_zone"]
    if "hours" in v:
        hours["hours"] = hours_to_spec(v["hours"])
    if "holidays" in v:
        hours["holiday_country"], hours["holiday_subdivision"] = split_holidays(v["holidays"])
    team_actions.team_update(
        team,
        actor=actor,
        name=v.get("name"),
        aliases=v.get("aliases"),
        slack_channel=v.get("slack_channel"),
        email=v.get("email"),
        auto_close_days=v.get("auto_close_days"),
        support_hours=hours or None,
        sla_targets=sla_by_tier(v["sla"]) if "sla" in v else None,
    )
    if "archived" in v:
        team_actions.team_set_archived(team_named(team.slug), actor=actor, archived=v["archived"])


def team_add(change: Change, actor: Any) -> None:
    v = change.after
    country, subdiv = split_holidays(v.get("holidays", ""))
    team = team_actions.team_create(
        slug=change.key,
        name=v["name"],
        time_zone=v.get("time_zone", "Europe/London"),
        hours=hours_to_spec(v["hours"]) if "hours" in v else None,
        holiday_country=country,
        holiday_subdiv=subdiv,
        actor=actor,
    )
    rest = {k: x for k, x in v.items() if k not in ("name", "time_zone", "hours", "holidays")}
    if rest:
        _team_settings(team, rest, actor)


def team_change(change: Change, actor: Any) -> None:
    _team_settings(team_named(change.key), change.after, actor)


def team_remove(change: Change, actor: Any) -> None:
    team_actions.team_set_archived(team_named(change.key), actor=actor, archived=True)


def member_set(change: Change, actor: Any) -> None:
    slug, _, username = change.key.partition(":")
    team_actions.membership_set(
        team_named(slug), person_named(username), role=change.after["role"], actor=actor
    )


def member_remove(change: Change, actor: Any) -> None:
    slug, _, username = change.key.partition(":")
    rotation_actions.membership_remove(team_named(slug), person_named(username), actor=actor)


def rotation_set(change: Change, actor: Any) -> None:
    r, team = change.after, team_named(change.key)
    zone = r["time_zone"] or team.time_zone
    restrictions = []
    for text in r["restrictions"]:
        day, _, window = text.partition(" ")
        lo, _, hi = window.partition("-")
        restrictions.append({"weekday": WEEKDAYS.index(day), "start": lo, "end": hi})
    rotation_actions.rotation_set(
        team,
        members=r["members"],
        start=datetime.fromisoformat(r["start"]).replace(tzinfo=ZoneInfo(zone)),
        turn_days=r["turn_days"],
        handoff_time=r["handoff_time"],
        handoff_weekday=WEEKDAYS.index(r["handoff_day"]) if r["handoff_day"] else None,
        time_zone=zone,
        restrictions=restrictions,
        actor=actor,
    )


# --- what intake listens to, routing, macros ----------------------------------------------


def slack_channel_save(change: Change, actor: Any) -> None:
    current = state.read_slack_channel(change.key)
    v = {**current, **change.after}
    intake_actions.slack_channel_save(
        channel_id=change.key,
        kind=v["kind"],
        name=v.get("name", ""),
        redirect_text=v.get("redirect_text", ""),
        actor=actor,
    )


def slack_channel_remove(change: Change, actor: Any) -> None:
    intake_actions.slack_channel_delete(
        SlackChannel.objects.get(channel_id=change.key), actor=actor
    )


def repository_save(change: Change, actor: Any) -> None:
    intake_actions.github_repository_save(
        full_name=change.key, enabled=change.after.get("enabled", True), actor=actor
    )


def repository_remove(change: Change, actor: Any) -> None:
    row = GitHubRepository.objects.get(full_name=change.key)
    intake_actions.github_repository_delete(row, actor=actor)


def rule_save(change: Change, actor: Any) -> None:
    rule = state.rules_by_key().get(change.key) if change.op == "~" else None
    values = {**(state.rule_values(rule) if rule else {}), **change.after}
    if rule is None:
        values["team"] = change.key.partition(":")[0]
    team = team_named(values.pop("team"))
    intake_actions.routing_rule_save(team=team, actor=actor, rule=rule, **values)


def rule_remove(change: Change, actor: Any) -> None:
    intake_actions.routing_rule_delete(state.rules_by_key()[change.key], actor=actor)


def macro_save(change: Change, actor: Any) -> None:
    macro = state.macros_by_key().get(change.key) if change.op == "~" else None
    v = {**state.DEFAULTS["macro"], **(state.macro_values(macro) if macro else {}), **change.after}
    fields = {k: v[k] for k in ("name", "body", "kind", "set_status", "position")}
    if macro is not None:
        macros.macro_update(macro, actor=actor, **fields)
    else:
        slug = change.key.partition(":")[0]
        macros.macro_create(team=team_named(slug) if slug else None, actor=actor, **fields)


def macro_remove(change: Change, actor: Any) -> None:
    macros.macro_delete(state.macros_by_key()[change.key], actor=actor)


WRITERS: dict[tuple[str, str], Writer] = {
    ("person", "+"): person_add,
    ("person", "~"): person_change,
    ("person", "-"): person_remove,
    ("team", "+"): team_add,
    ("team", "~"): team_change,
    ("team", "-"): team_remove,
    ("member", "+"): member_set,
    ("member", "~"): member_set,
    ("member", "-"): member_remove,
    ("rotation", "+"): rotation_set,
    ("rotation", "~"): rotation_set,
    ("slack_channel", "+"): slack_channel_save,
    ("slack_channel", "~"): slack_channel_save,
    ("slack_channel", "-"): slack_channel_remove,
    ("github_repository", "+"): repository_save,
    ("github_repository", "~"): repository_save,
    ("github_repository", "-"): repository_remove,
    ("routing_rule", "+"): rule_save,
    ("routing_rule", "~"): rule_save,
    ("routing_rule", "-"): rule_remove,
    ("macro", "+"): macro_save,
    ("macro", "~"): macro_save,
    ("macro", "-"): macro_remove,
}
