"""Apply a setup file: check all of it first (file, line and key for every
problem; nothing written), then make every change in one transaction through
the apps' actions, audited as "applied from FILE by USER"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from herodesk.domain.config import Facts, Problem, read
from herodesk.domain.config.diff import Change, plan
from herodesk.domain.config.refs import check_references
from herodesk.domain.config.schema import Desired
from herodesk.domain.config.source import Source
from herodesk.intake.models import SlackChannelKind
from herodesk.lib import channels
from herodesk.lib.errors import ActionError
from herodesk.setup import state
from herodesk.setup.actions import setup_applied
from herodesk.setup.writers import WRITERS
from herodesk.tickets.macros import unknown_placeholders


@dataclass
class Outcome:
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False


def _macro_body(body: str) -> str | None:
    unknown = unknown_placeholders(body)
    return f"unknown placeholder {{{{ {unknown[0]} }}}}" if unknown else None


def facts() -> Facts:
    return Facts(
        channels=tuple(channels.names()),
        slack_kinds=tuple(SlackChannelKind.values),
        macro_body=_macro_body,
    )


def _where(change: Change, source: Source, desired: Desired) -> tuple[int, str]:
    """The line and label of the entry a change comes from."""
    section = {"member": "team", "rotation": "team"}.get(change.section, change.section)
    key = change.team if section == "team" else change.key
    path = desired.paths.get((section, key))
    if path is None:  # a removal (--prune): the section's first line
        return source.line_of((section,)), str(change)
    extra = {"member": ("members",), "rotation": ("rotation",)}.get(change.section, ())
    return source.line_of((*path, *extra)), str(change)


def apply_text(
    text: str, name: str, *, who: str, user: Any = None, prune: bool = False, dry_run: bool = False
) -> Outcome:
    """Check `text` (the file `name`); unless `dry_run`, make its changes."""
    source, desired, problems = read(text, name, facts())
    if problems or source is None or desired is None:
        return Outcome(problems=problems)
    current = state.read()
    problems = check_references(desired, current, name, source.line_of)
    if problems:
        return Outcome(problems=problems)
    changes = plan(current, desired, prune=prune)
    if dry_run or not changes:
        return Outcome(changes=changes)
    actor = f"applied from {name} by {who}"
    try:
        with transaction.atomic():
            for change in changes:
                try:
                    WRITERS[(change.section, change.op)](change, actor)
                except ActionError as exc:
                    line, what = _where(change, source, desired)
                    where = f"{what}: {exc.field}" if exc.field else what
                    raise _Failed(Problem(name, line, where, exc.message)) from None
            setup_applied(file=name, who=who, user=user, changes=[str(c) for c in changes])
    except _Failed as failed:
        return Outcome(changes=changes, problems=[failed.problem])
    return Outcome(changes=changes, written=True)


class _Failed(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
