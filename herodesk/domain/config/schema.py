"""The setup file's sections and keys, and the check that turns a parsed file
into the desired state (plain data) or a list of problems naming file, line
and key.

Sections are arrays of tables (`[[person]]`, `[[team]]`, …). Inside an entry,
a key that is left out is *not managed*: the desk keeps its current value (a
new entry gets the default). `members`, when given, is the team's whole
membership; `rotation`, when given, is the whole rotation (its own missing
keys take their defaults). `--prune` only touches sections the file has; an
empty list such as `macro = []` says "this file manages macros, and there are
none".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from herodesk.domain.config import fields as f
from herodesk.domain.config.source import Path, Source

SECRET_KEYS = {"password", "password_hash", "token", "tokens", "api_token", "secret"}
SLACK_KINDS = ("support", "cs_escalation", "community")
CHANNELS = (
    "email",
    "bug_report",
    "slack",
    "cs_escalation",
    "sentry",
    "github",
    "community",
    "zendesk",
    "api",
    "web",
)
RULE_CONDITIONS = (
    "channel",
    "repository",
    "slack_channel",
    "sentry_project",
    "page",
    "topic",
    "keywords",
    "organization",
)


@dataclass(frozen=True)
class Facts:
    """What the desk knows that the pure core does not (from the registries)."""

    channels: tuple[str, ...] = CHANNELS
    slack_kinds: tuple[str, ...] = SLACK_KINDS
    # Returns a message when a macro body is not acceptable (unknown placeholder).
    macro_body: Callable[[str], str | None] = lambda body: None


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.where}: {self.message}"


@dataclass
class Desired:
    """The file as plain data: section → entry key → the keys it sets (normal form)."""

    sections: dict[str, dict[str, dict[str, Any]]]
    # (section, key) → where the entry is: (section, index in the file).
    paths: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    managed: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Section:
    name: str
    identity: str
    required: tuple[str, ...]
    keys: dict[str, f.Checker]


def _username() -> f.Checker:
    return f.pattern(f.USERNAME, "a username (letters, digits and @ . + - _)")


def _repository() -> f.Checker:
    return f.pattern(f.REPOSITORY, 'a repository "owner/name"', lower=True)


def _team_slug() -> f.Checker:
    return f.pattern(f.SLUG, 'a team slug such as "pipeline" (a-z, 0-9 and -)')


ROTATION = Section(
    "rotation",
    identity="",
    required=("members", "start"),
    keys={
        "members": f.strings(_username()),
        "start": f.local_datetime,
        "turn_days": f.integer(1, 366),
        "handoff_time": f.handoff_time,
        "handoff_day": f.weekday,
        "time_zone": f.time_zone,
        "restrictions": f.strings(f.restriction),
    },
)


def sections(facts: Facts) -> dict[str, Section]:
    return {
        "person": Section(
            "person",
            identity="username",
            required=("username",),
            keys={
                "username": _username(),
                "name": f.text(150),
                "email": f.email,
                "kind": f.choice("engineer", "cs"),
                "time_zone": f.time_zone,
                "hours": f.hours,
                "holidays": f.holidays,
                "slack_user": f.text(32),
                "admin": f.boolean,
                "active": f.boolean,
            },
        ),
        "team": Section(
            "team",
            identity="slug",
            required=("slug", "name"),
            keys={
                "slug": _team_slug(),
                "name": f.text(120, empty=False),
                "aliases": f.strings(f.text(120, empty=False)),
                "time_zone": f.time_zone,
                "hours": f.hours,
                "holidays": f.holidays,
                "sla": f.sla,
                "slack_channel": f.text(80),
                "email": f.email,
                "auto_close_days": f.optional_integer(1, 365),
                "members": f.strings(_username()),
                "leads": f.strings(_username()),
                "rotation": _rotation,
                "archived": f.boolean,
            },
        ),
        "slack_channel": Section(
            "slack_channel",
            identity="id",
            required=("id", "kind"),
            keys={
                "id": f.pattern(f.SLACK_ID, 'a Slack channel id such as "C0123ABCD"'),
                "name": f.text(80),
                "kind": f.choice(*facts.slack_kinds),
                "redirect_text": f.text(2000),
            },
        ),
        "github_repository": Section(
            "github_repository",
            identity="full_name",
            required=("full_name",),
            keys={"full_name": _repository(), "enabled": f.boolean},
        ),
        "routing_rule": Section(
            "routing_rule",
            identity="",
            required=("team",),
            keys={
                "team": _team_slug(),
                "name": f.text(100),
                "position": f.integer(0, 100_000),
                "enabled": f.boolean,
                "channel": f.choice(*facts.channels),
                "repository": _repository(),
                "slack_channel": f.text(80),
                "sentry_project": f.text(100),
                "page": f.text(300),
                "topic": f.text(50),
                "keywords": f.strings(f.text(100, empty=False)),
                "organization": f.text(200),
            },
        ),
        "macro": Section(
            "macro",
            identity="",
            required=("name", "body"),
            keys={
                "name": f.text(100, empty=False),
                "team": _team_slug(),
                "kind": f.choice("public", "note"),
                "set_status": f.choice("", "pending", "solved"),
                "position": f.integer(0, 32767),
                "body": _macro_body(facts),
            },
        ),
    }


def _macro_body(facts: Facts) -> f.Checker:
    inner = f.text(10_000, empty=False)

    def check(value: Any) -> str:
        body = inner(value.replace("\r\n", "\n") if isinstance(value, str) else value)
        message = facts.macro_body(body)
        if message:
            raise f.Bad(message)
        return body

    return check


class _NestedProblems(f.Bad):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems[0][1])
        self.problems = problems


def _rotation(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise f.Bad('must be a table such as { members = ["ana"], start = "2027-01-04T09:00" }')
    out, problems = _check_keys(ROTATION, value)
    if problems:
        raise _NestedProblems(problems)
    return rotation_defaults(out)


def rotation_defaults(rotation: dict[str, Any]) -> dict[str, Any]:
    """A whole rotation: missing keys take their defaults (time_zone "" = the team's)."""
    return {
        "members": rotation["members"],
        "start": rotation["start"],
        "turn_days": rotation.get("turn_days", 7),
        "handoff_time": rotation.get("handoff_time", rotation["start"][11:16]),
        "handoff_day": rotation.get("handoff_day", ""),
        "time_zone": rotation.get("time_zone", ""),
        "restrictions": rotation.get("restrictions", []),
    }


def _check_keys(section: Section, entry: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    """(normal values, [(key, message), …]) for one entry."""
    out: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for key, value in entry.items():
        checker = section.keys.get(key)
        if checker is None:
            problems.append((key, _unknown(section, key)))
            continue
        try:
            out[key] = checker(value)
        except _NestedProblems as exc:
            problems += [(f"{key}.{k}", m) for k, m in exc.problems]
        except f.Bad as exc:
            problems.append((key, str(exc)))
    for key in section.required:
        if key not in entry:
            problems.append(("", f"{key} is required"))
    return out, problems


def _unknown(section: Section, key: str) -> str:
    if key.lower() in SECRET_KEYS:
        return (
            "passwords and tokens never go in the file (people set their own password "
            "through their invitation; tokens are made in the desk)"
        )
    return f"unknown key {key!r} (known: {', '.join(section.keys)})"


def entry_key(section: str, values: dict[str, Any]) -> str:
    """The identity of an entry (what matches it with the desk's current state)."""
    if section == "macro":
        return f"{values.get('team', '')}:{values['name']}"
    if section == "routing_rule":
        if values.get("name"):
            return f"{values['team']}:{values['name']}"
        conditions = {c: values[c] for c in RULE_CONDITIONS if values.get(c)}
        return f"{values['team']}:" + json.dumps(conditions, sort_keys=True)
    ident = {"person": "username", "team": "slug", "slack_channel": "id"}
    return str(values[ident.get(section, "full_name")])


def label(section: str, key: str) -> str:
    """How the entry is named in messages: `team pipeline`, `macro "Hi" of team x`."""
    if section in ("macro", "routing_rule"):
        team, _, name = key.partition(":")
        words = "routing rule" if section == "routing_rule" else "macro"
        if name.startswith("{"):
            conditions = json.loads(name)
            name = " ".join(
                f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in conditions.items()
            )
        else:
            name = json.dumps(name, ensure_ascii=False)
        return f"{words} {name}" + (f" of team {team}" if team else "")
    return f"{section.replace('_', ' ')} {key}"


def check(source: Source, facts: Facts | None = None) -> tuple[Desired, list[Problem]]:
    """The desired state, and every problem found in the file's own content."""
    specs = sections(facts or Facts())
    desired = Desired({name: {} for name in specs})
    problems: list[Problem] = []

    def problem(path: Path, where: str, message: str) -> None:
        problems.append(Problem(source.name, source.line_of(path), where, message))

    for name, entries in source.data.items():
        spec = specs.get(name)
        if spec is None:
            problem((name,), name, f"unknown section (known: {', '.join(specs)})")
            continue
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            problem((name,), name, f"must be an array of tables: write [[{name}]]")
            continue
        desired.managed.add(name)
        for i, entry in enumerate(entries):
            _entry(spec, desired, (name, i), entry, problem)
    if not problems:
        _check_entries(desired, problem)
    return desired, sorted(problems, key=lambda p: p.line)


def _entry(
    spec: Section,
    desired: Desired,
    path: tuple[str, int],
    entry: dict[str, Any],
    problem: Callable[[Path, str, str], None],
) -> None:
    values, found = _check_keys(spec, entry)
    ident = entry.get(spec.identity) if spec.identity else None
    where = f"{spec.name} {ident}" if isinstance(ident, str) else f"{spec.name} #{path[1] + 1}"
    for key, message in found:
        key_path = tuple(int(k) if k.isdigit() else k for k in key.split(".")) if key else ()
        problem((*path, *key_path), f"{where}: {key}" if key else where, message)
    if found:
        return
    if spec.name == "routing_rule":
        values.setdefault("position", 10 * (path[1] + 1))
        if not any(values.get(c) for c in RULE_CONDITIONS):
            problem(path, where, "set at least one condition: " + ", ".join(RULE_CONDITIONS))
            return
    key = entry_key(spec.name, values)
    if key in desired.sections[spec.name]:
        first = desired.paths[(spec.name, key)][1]
        problem(path, where, f"described twice (first as entry {first + 1})")
        return
    if spec.identity:  # the key says it; the values hold what may change
        del values[spec.identity]
    desired.sections[spec.name][key] = values
    desired.paths[(spec.name, key)] = path


def _check_entries(desired: Desired, problem: Callable[[Path, str, str], None]) -> None:
    """Rules between keys of one entry (leads are members, rotation members too)."""
    for slug, team in desired.sections["team"].items():
        path = desired.paths[("team", slug)]
        members = team.get("members")
        leads = team.pop("leads", None)
        if leads is not None and members is None:
            problem((*path, "leads"), f"team {slug}: leads", "needs members (everyone on the team)")
            continue
        if members is None:
            continue
        for i, lead in enumerate(leads or []):
            if lead not in members:
                problem((*path, "leads", i), f"team {slug}: leads", f"{lead!r} is not in members")
        team["members"] = {u: ("lead" if u in (leads or []) else "member") for u in members}
        rotation = team.get("rotation")
        for i, name in enumerate(rotation["members"] if rotation else []):
            if name not in members:
                where = f"team {slug}: rotation.members"
                problem((*path, "rotation", "members", i), where, f"{name!r} is not in members")
