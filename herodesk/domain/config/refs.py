"""Checks that need the desk's current state: names the file uses must exist,
in the file or in the desk (a file may mention a person it does not describe)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from herodesk.domain.config.schema import Desired, Problem
from herodesk.domain.config.source import Path

Report = Callable[[Path, str, str], None]


def _is_active(username: str, desired: Desired, current: dict[str, Any]) -> bool:
    mine = desired.sections["person"].get(username, {})
    if "active" in mine:
        return bool(mine["active"])
    return bool(current.get("person", {}).get(username, {}).get("active", True))


def _team_people(
    slug: str, team: dict[str, Any], desired: Desired, current: dict[str, Any], report: Report
) -> None:
    path = desired.paths[("team", slug)]
    people = set(desired.sections["person"]) | set(current.get("person", {}))
    for i, user in enumerate(team.get("members", {})):
        if user not in people:
            report((*path, "members", i), f"team {slug}: members", f"no person {user!r}")
    rotation = team.get("rotation")
    if not rotation:
        return
    members = team.get("members") or current.get("team", {}).get(slug, {}).get("members", {})
    for i, user in enumerate(rotation["members"]):
        where, at = f"team {slug}: rotation.members", (*path, "rotation", "members", i)
        if user not in members:
            report(at, where, f"{user!r} is not a member of team {slug}")
        elif user in people and not _is_active(user, desired, current):
            report(at, where, f"{user!r} is deactivated and cannot take turns")


def check_references(
    desired: Desired, current: dict[str, Any], file: str, line_of: Callable[[Path], int]
) -> list[Problem]:
    """Problems with names the file refers to (people, teams, organizations)."""
    problems: list[Problem] = []

    def report(path: Path, where: str, message: str) -> None:
        problems.append(Problem(file, line_of(path), where, message))

    teams = set(desired.sections["team"]) | set(current.get("team", {}))
    orgs = {name.lower() for name in current.get("organizations", [])}
    for slug, team in desired.sections["team"].items():
        _team_people(slug, team, desired, current, report)
    for section in ("routing_rule", "macro"):
        for key, entry in desired.sections[section].items():
            path = desired.paths[(section, key)]
            where = f"{section} #{path[1] + 1}"
            if entry.get("team") and entry["team"] not in teams:
                report((*path, "team"), f"{where}: team", f"no team {entry['team']!r}")
            org = entry.get("organization")
            if org and org.lower() not in orgs:
                report(
                    (*path, "organization"), f"{where}: organization", f"no organization {org!r}"
                )
    return sorted(problems, key=lambda p: p.line)
