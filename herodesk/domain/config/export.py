"""The current state written as a setup file (what `herodesk export` prints).

Written with tomlkit, which can lay a document out as people write it by hand:
inline tables for hours and rotations, multi-line strings for macro bodies,
comments. A key whose value equals what a new entry would get anyway
(`defaults`) is left out, so the file stays short and applying it to an empty
desk gives the same desk. Every section is written, empty ones as `name = []`,
so that `apply --prune` of an exported file removes what was added since.
"""

from __future__ import annotations

from typing import Any

import tomlkit
from tomlkit.items import AoT, InlineTable, Table

from herodesk.domain.config.schema import ROTATION, RULE_CONDITIONS, Facts, sections

HEADER = (
    "HeroDesk setup. `herodesk apply FILE` makes the desk look like this file;\n"
    "`--dry-run` shows what would change, `--prune` also removes what is not here.\n"
    "Passwords and API tokens are never written here."
)
IDENTITY = {"person": "username", "team": "slug", "slack_channel": "id"}


def _inline(values: dict[str, Any]) -> InlineTable:
    table = tomlkit.inline_table()
    for k, v in values.items():
        table.append(k, v)
    return table


def _value(key: str, value: Any, team_zone: str = "") -> Any:
    if key in ("hours", "sla") and isinstance(value, dict):
        return _inline({k: _inline(v) if isinstance(v, dict) else v for k, v in value.items()})
    if key == "rotation":
        return _inline(_rotation(value, team_zone))
    if isinstance(value, str) and "\n" in value:
        return tomlkit.string(value + "\n", multiline=True)
    return value


def _rotation(r: dict[str, Any], team_zone: str) -> dict[str, Any]:
    """Only what differs from a rotation's defaults (see schema.rotation_defaults)."""
    out = {"members": r["members"], "start": r["start"]}
    defaults = {
        "turn_days": 7,
        "handoff_time": r["start"][11:16],
        "handoff_day": "",
        "time_zone": team_zone,
    }
    for key in ROTATION.keys:
        if key in out or key not in r:
            continue
        if r[key] != defaults.get(key) and r[key] not in ("", []):
            out[key] = r[key]
    return out


def _entry(section: str, key: str, values: dict[str, Any], skip: dict[str, Any]) -> Table:
    spec = sections(Facts())[section]
    table = tomlkit.table()
    if section in IDENTITY:
        table.append(IDENTITY[section], key)
    if section == "github_repository":
        table.append("full_name", key)
    for name in spec.keys:
        if name not in values or name in (IDENTITY.get(section), "full_name", "leads"):
            continue
        value = values[name]
        if name in skip and skip[name] == value:
            continue
        if section == "routing_rule" and name in (*RULE_CONDITIONS, "name") and value in ("", []):
            continue
        if section == "macro" and name == "team" and not value:
            continue  # a macro for every team
        if name == "members" and isinstance(value, dict):
            table.append("members", list(value))
            leads = [u for u, role in value.items() if role == "lead"]
            if leads:
                table.append("leads", leads)
            continue
        if name == "rotation" and not value:
            continue
        table.append(name, _value(name, value, values.get("time_zone", "")))
    return table


def render(current: dict[str, Any], defaults: dict[str, dict[str, Any]] | None = None) -> str:
    """The setup file for `current` (plain data, as in diff.py)."""
    defaults = defaults or {}
    doc = tomlkit.document()
    for line in HEADER.splitlines():
        doc.add(tomlkit.comment(line))
    order = list(sections(Facts()))
    filled = [s for s in order if current.get(s)]
    for section in order:
        if section not in filled:
            doc.add(section, tomlkit.array())
    for section in filled:
        doc.add(tomlkit.nl())
        aot = AoT([])
        entries = current[section]
        for key in _ordered(section, entries):
            aot.append(_entry(section, key, entries[key], defaults.get(section, {})))
        doc.add(section, aot)
    return tomlkit.dumps(doc)


def _ordered(section: str, entries: dict[str, Any]) -> list[str]:
    if section in ("routing_rule", "macro"):
        return sorted(entries, key=lambda k: (entries[k].get("position", 0), k))
    return sorted(entries)
