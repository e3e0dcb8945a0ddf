"""From (the desk's current state, the file's desired state) to an ordered list
of changes. Pure: both sides are plain data in the same normal form.

The current state is a dict of sections, each mapping an entry's key to all
of its values (see `herodesk.domain.config.schema.entry_key`):

    {"person": {"ana": {"name": …, "email": …, "time_zone": …, "hours": …,
                        "holidays": …, "kind": …, "slack_user": …, "admin": …,
                        "active": …}},
     "team": {"pipeline": {…, "members": {"ana": "lead"}, "rotation": {…} | None}},
     "slack_channel": {…}, "github_repository": {…}, "routing_rule": {…},
     "macro": {…}, "organizations": ["Acme", …]}

Order of the list: additions and changes first, in dependency order (people,
teams, members, rotations, then the things that point at teams), removals
last in the reverse order (nothing is removed while something still needs it).
Removals only happen with `prune`, and only in sections the file has.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from herodesk.domain.config.schema import Desired, label

ORDER = (
    "person",
    "team",
    "member",
    "rotation",
    "slack_channel",
    "github_repository",
    "routing_rule",
    "macro",
)
REMOVE_NOTE = {"person": " (deactivate)", "team": " (archive)"}


@dataclass(frozen=True)
class Change:
    op: str  # "+" add, "~" change, "-" remove (deactivate a person, archive a team)
    section: str
    key: str  # member: "team:username"; rotation: the team's slug
    after: dict[str, Any] = field(default_factory=dict)  # "+": every value; "~": changed ones
    before: dict[str, Any] = field(default_factory=dict)  # "~": the old values

    @property
    def team(self) -> str:
        return self.key.partition(":")[0] if self.section == "member" else self.key

    def __str__(self) -> str:
        if self.section == "member":
            team, _, user = self.key.partition(":")
            role = (
                f" ({self.after['role']})"
                if self.op == "+" and self.after["role"] == "lead"
                else ""
            )
            name = f"member {user}{role} of team {team}"
        elif self.section == "rotation":
            name = f"rotation of team {self.key}"
        else:
            name = label(self.section, self.key)
        if self.op == "-":
            return f"- {name}{REMOVE_NOTE.get(self.section, '')}"
        if self.op == "+":
            extra = f": {describe_rotation(self.after)}" if self.section == "rotation" else ""
            return f"+ {name}{extra}"
        # `before` names the keys that change (a rotation's `after` is the whole rotation).
        parts = [f"{k} {show(v)} → {show(self.after.get(k))}" for k, v in self.before.items()]
        return f"~ {name}: " + "; ".join(parts)


def show(value: Any) -> str:
    """A value as one short phrase for a change line."""
    if value is None or value == "" or value == [] or value == {}:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(show(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {show(v)}" for k, v in value.items())
    text = str(value)
    if "\n" in text or len(text) > 60:
        first = text.splitlines()[0][:40]
        return f"“{first}…” ({len(text)} characters)"
    return text


def describe_rotation(r: dict[str, Any]) -> str:
    day = f" on {r['handoff_day']}" if r.get("handoff_day") else ""
    zone = f" {r['time_zone']}" if r.get("time_zone") else ""
    return (
        f"{', '.join(r['members'])}, {r['turn_days']}-day turns from {r['start']}"
        f", handoff{day} at {r['handoff_time']}{zone}"
    )


def _changed(current: dict[str, Any], wanted: dict[str, Any]) -> tuple[dict, dict]:
    keys = [k for k, v in wanted.items() if current.get(k) != v]
    return {k: current.get(k) for k in keys}, {k: wanted[k] for k in keys}


def _entries(section: str, current: dict[str, Any], desired: Desired) -> Iterator[Change]:
    have = current.get(section, {})
    for key, wanted in desired.sections.get(section, {}).items():
        if section == "team":
            wanted = {k: v for k, v in wanted.items() if k not in ("members", "rotation")}
        if key not in have:
            yield Change("+", section, key, after=wanted)
            continue
        before, after = _changed(have[key], wanted)
        if after:
            yield Change("~", section, key, after=after, before=before)


def _members(current: dict[str, Any], desired: Desired, prune: bool) -> tuple[list, list]:
    adds: list[Change] = []
    removes: list[Change] = []
    for slug, team in desired.sections.get("team", {}).items():
        if "members" not in team:
            continue
        have = current.get("team", {}).get(slug, {}).get("members", {})
        for user, role in team["members"].items():
            key = f"{slug}:{user}"
            if user not in have:
                adds.append(Change("+", "member", key, after={"role": role}))
            elif have[user] != role:
                adds.append(
                    Change("~", "member", key, after={"role": role}, before={"role": have[user]})
                )
        if prune:
            removes += [
                Change("-", "member", f"{slug}:{u}")
                for u in sorted(have)
                if u not in team["members"]
            ]
    return adds, removes


def _rotations(current: dict[str, Any], desired: Desired) -> Iterator[Change]:
    for slug, team in desired.sections.get("team", {}).items():
        wanted = team.get("rotation")
        if wanted is None:
            continue
        have_team = current.get("team", {}).get(slug, {})
        zone = team.get("time_zone") or have_team.get("time_zone") or ""
        wanted = {**wanted, "time_zone": wanted["time_zone"] or zone}
        have = have_team.get("rotation")
        if not have:
            yield Change("+", "rotation", slug, after=wanted)
            continue
        before, after = _changed(have, wanted)
        if after:
            yield Change("~", "rotation", slug, after={**wanted, **after}, before=before)


def _removals(section: str, current: dict[str, Any], desired: Desired) -> Iterator[Change]:
    if section not in desired.managed:
        return
    wanted = desired.sections.get(section, {})
    for key, values in sorted(current.get(section, {}).items()):
        if key in wanted:
            continue
        if section == "person" and not values.get("active", True):
            continue  # already deactivated
        if section == "team" and values.get("archived"):
            continue
        yield Change("-", section, key)


def plan(current: dict[str, Any], desired: Desired, *, prune: bool = False) -> list[Change]:
    """Every change that makes the desk look like the file, in the order to make them."""
    member_adds, member_removes = _members(current, desired, prune)
    changes: list[Change] = []
    for section in ORDER:
        if section == "member":
            changes += member_adds
        elif section == "rotation":
            changes += _rotations(current, desired)
        else:
            changes += _entries(section, current, desired)
    if prune:
        for section in reversed(ORDER):
            if section == "member":
                changes += member_removes
            elif section != "rotation":
                changes += _removals(section, current, desired)
    return changes
