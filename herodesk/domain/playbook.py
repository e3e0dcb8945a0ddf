"""Playbook runs as a state machine (SPEC §8). Pure Python.

A playbook is an ordered list of steps. A run of it is the playbook plus the
records of the steps done so far; every other state is derived from those
records, so a run can be rebuilt from what is stored and never edited after
the fact.

Each step is, at any moment, exactly one of:
- `done`: it has a record (who, when, note, choice, evidence);
- `skipped`: it sits on a branch a decision did not choose;
- `locked`: something has to happen first (`reason` says what);
- `ready`: it can be performed now (a wait-for-reply step that is ready is
  waiting: only the reply it expects can open it).

Rules, in order:
1. A step with `when` is on the path only when one of its (decision, choice)
   pairs was chosen. Before the decision it is locked; after another choice,
   or when the decision itself was skipped, it is skipped.
2. A step needs its `after` steps (by default every earlier step) done or
   skipped.
3. A guarded action also needs every gate before it (wait-for-reply and
   auto-check steps on the path) open, whatever its `after` says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Kind(StrEnum):
    CHECK = "check"  # someone ticks it, optionally with a note
    AUTO_CHECK = "auto-check"  # computed (last login, bounce seen, app review); a gate
    EMAIL = "email"  # a templated email sent through the outbox
    WAIT = "wait-for-reply"  # a gate that only the expected reply opens
    DECISION = "decision"  # a choice that selects the following steps
    ACTION = "guarded-action"  # locked until the gates before it are open


class State(StrEnum):
    LOCKED = "locked"
    READY = "ready"
    DONE = "done"
    SKIPPED = "skipped"


GATES = frozenset({Kind.WAIT, Kind.AUTO_CHECK})


class StepError(Exception):
    """A step cannot be performed; `message` says why, for the person who tried."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StepLocked(StepError):
    """Not yet (locked, waiting for a reply, or the run is over)."""


class StepDone(StepError):
    """Already done, or skipped: a run is never edited after the fact."""


class StepInvalid(StepError):
    """The request itself is wrong (unknown step, missing or unknown choice)."""


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


@dataclass(frozen=True)
class Step:
    key: str
    kind: Kind
    title: str
    help: str = ""
    choices: tuple[Choice, ...] = ()
    when: tuple[tuple[str, str], ...] = ()
    after: tuple[str, ...] | None = None
    params: Mapping[str, str] = field(default_factory=dict, hash=False)

    def choice(self, key: str) -> Choice | None:
        return next((c for c in self.choices if c.key == key), None)


@dataclass(frozen=True)
class Input:
    key: str
    label: str
    kind: str = "text"  # "text" or "email"
    required: bool = True


@dataclass(frozen=True)
class Playbook:
    slug: str
    name: str
    steps: tuple[Step, ...]
    inputs: tuple[Input, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        _validate(self)

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise StepInvalid(f"{self.slug} has no step {key!r}")


@dataclass(frozen=True)
class Record:
    """A step that was done: by whom, when, and what they said or chose."""

    step: str
    by: str
    at: datetime
    choice: str = ""
    note: str = ""
    detail: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class StepView:
    step: Step
    state: State
    reason: str = ""
    record: Record | None = None


class Run:
    """A playbook plus its records: derives each step's state and checks performs."""

    def __init__(self, playbook: Playbook, records: Iterable[Record], *, over: str = "") -> None:
        self.playbook = playbook
        self.records = {r.step: r for r in records}
        self.over = over  # why the run takes no more steps ("cancelled: …"), or ""
        self._views = self._derive()

    def views(self) -> list[StepView]:
        return list(self._views.values())

    def view(self, key: str) -> StepView:
        self.playbook.step(key)
        return self._views[key]

    @property
    def finished(self) -> bool:
        return all(v.state in (State.DONE, State.SKIPPED) for v in self._views.values())

    def perform(
        self,
        key: str,
        *,
        by: str,
        at: datetime,
        choice: str = "",
        note: str = "",
        detail: Mapping[str, Any] | None = None,
        reply: bool = False,
    ) -> Record:
        """The record to store for doing step `key` now; raises StepError if it cannot be.

        A wait-for-reply step opens only with `reply=True` (the reply it waits for
        has arrived); a guarded action's record carries the gates it passed.
        """
        view = self.view(key)
        step = view.step
        self._check_open(view)
        if step.kind is Kind.WAIT and not reply:
            raise StepLocked(f"«{step.title}» opens only when the expected reply arrives")
        if step.kind is Kind.DECISION:
            if step.choice(choice) is None:
                known = ", ".join(c.key for c in step.choices)
                raise StepInvalid(f"choose one of: {known}")
        elif choice:
            raise StepInvalid(f"«{step.title}» is not a decision")
        evidence = dict(detail or {})
        if step.kind is Kind.ACTION:
            evidence["gates"] = [_gate_evidence(r) for r in self._gates_before(key)]
        return Record(key, by, at, choice, note.strip(), MappingProxyType(evidence))

    def after(self, record: Record) -> Run:
        """The run with one more record (for computing what changed)."""
        return Run(self.playbook, [*self.records.values(), record], over=self.over)

    def changes(self, later: Run) -> list[tuple[str, State, State]]:
        """(step, old state, new state) for every step whose state differs in `later`."""
        return [
            (key, view.state, later._views[key].state)
            for key, view in self._views.items()
            if later._views[key].state is not view.state
        ]

    def _check_open(self, view: StepView) -> None:
        if self.over:
            raise StepLocked(f"the run is {self.over}")
        if view.state is State.DONE:
            raise StepDone(f"«{view.step.title}» is already done")
        if view.state is State.SKIPPED:
            raise StepDone(f"«{view.step.title}» was skipped: {view.reason}")
        if view.state is State.LOCKED:
            raise StepLocked(f"«{view.step.title}» is locked: {view.reason}")

    def _gates_before(self, key: str) -> list[Record]:
        gates = []
        for step in self.playbook.steps:
            if step.key == key:
                break
            record = self.records.get(step.key)
            if step.kind in GATES and record is not None:
                gates.append(record)
        return gates

    def _derive(self) -> dict[str, StepView]:
        views: dict[str, StepView] = {}
        for index, step in enumerate(self.playbook.steps):
            record = self.records.get(step.key)
            if record is not None:
                views[step.key] = StepView(step, State.DONE, "", record)
                continue
            state, reason = self._path(step, views)
            if state is None:
                state, reason = self._needs(step, self.playbook.steps[:index], views)
            views[step.key] = StepView(step, state, reason)
        return views

    def _path(self, step: Step, views: dict[str, StepView]) -> tuple[State | None, str]:
        """Skipped or locked by the decisions it depends on; (None, "") when on the path."""
        if not step.when:
            return None, ""
        waiting = []
        for decision_key, choice_key in step.when:
            decision = views[decision_key]
            if decision.state is State.DONE and decision.record is not None:
                if decision.record.choice == choice_key:
                    return None, ""
            elif decision.state is not State.SKIPPED:
                waiting.append(decision.step.title)
        if waiting:
            return State.LOCKED, f"depends on the decision «{waiting[0]}»"
        decision = views[step.when[0][0]]
        if decision.state is State.SKIPPED:
            return State.SKIPPED, f"«{decision.step.title}» was skipped"
        chosen = decision.record.choice if decision.record else ""
        label = decision.step.choice(chosen)
        return State.SKIPPED, f"not on the chosen path («{label.label if label else chosen}»)"

    def _needs(
        self, step: Step, earlier: tuple[Step, ...], views: dict[str, StepView]
    ) -> tuple[State, str]:
        needed = earlier if step.after is None else [s for s in earlier if s.key in step.after]
        for other in needed:
            if views[other.key].state not in (State.DONE, State.SKIPPED):
                return State.LOCKED, _waits_for(views[other.key])
        if step.kind is Kind.ACTION:
            for other in earlier:
                if other.kind in GATES and views[other.key].state not in (
                    State.DONE,
                    State.SKIPPED,
                ):
                    return State.LOCKED, f"gate «{other.title}» is not open"
        return State.READY, ""


def _waits_for(view: StepView) -> str:
    if view.step.kind is Kind.WAIT and view.state is State.READY:
        return f"waits for «{view.step.title}» (no accepted reply yet)"
    return f"waits for «{view.step.title}»"


def _gate_evidence(record: Record) -> dict[str, Any]:
    return {"step": record.step, "by": record.by, "at": record.at.isoformat(), **record.detail}


def _validate(playbook: Playbook) -> None:
    seen: dict[str, Step] = {}
    for step in playbook.steps:
        where = f"{playbook.slug}: step {step.key!r}"
        if step.key in seen:
            raise ValueError(f"{where} appears twice")
        if step.kind is Kind.DECISION and len(step.choices) < 2:
            raise ValueError(f"{where} is a decision with fewer than two choices")
        if step.kind is not Kind.DECISION and step.choices:
            raise ValueError(f"{where} has choices but is not a decision")
        for decision_key, choice_key in step.when:
            decision = seen.get(decision_key)
            if decision is None or decision.kind is not Kind.DECISION:
                raise ValueError(f"{where} depends on {decision_key!r}, not an earlier decision")
            if decision.choice(choice_key) is None:
                raise ValueError(f"{where} depends on an unknown choice {choice_key!r}")
        for needed in step.after or ():
            if needed not in seen:
                raise ValueError(f"{where} comes after {needed!r}, not an earlier step")
        seen[step.key] = step
    if not seen:
        raise ValueError(f"{playbook.slug} has no steps")
