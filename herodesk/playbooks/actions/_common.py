"""Helpers shared by the playbook writers (not public)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from herodesk.audit.log import actor_parts, record
from herodesk.domain.playbook import Record, Run, StepDone, StepError, StepInvalid, StepLocked
from herodesk.lib.errors import ActionError, Conflict, Invalid, NotFound
from herodesk.playbooks.models import PlaybookRun, PlaybookStep, RunState
from herodesk.playbooks.queries import machine


def locked_run(pk: int) -> tuple[PlaybookRun, Run]:
    """The run, locked for this transaction, and its state machine."""
    run = PlaybookRun.objects.select_for_update().select_related("ticket").filter(pk=pk).first()
    if run is None:
        raise NotFound(f"playbook run {pk} not found")
    return run, machine(run)


def http_error(exc: StepError, key: str) -> ActionError:
    """The API answer for a step the machine refused."""
    if isinstance(exc, StepInvalid):
        if "has no step" in exc.message:
            return NotFound(exc.message)
        return Invalid(exc.message, field="choice" if "choose" in exc.message else key)
    if isinstance(exc, StepLocked | StepDone):
        return Conflict(exc.message)
    return Invalid(exc.message)


def commit_step(run: PlaybookRun, state: Run, done: Record, actor: Any) -> PlaybookStep:
    """Store a done step, audit every state it changed, finish the run when all are done."""
    user, label = actor_parts(actor)
    done = dataclasses.replace(done, by=label)
    try:
        with transaction.atomic():
            row = PlaybookStep.objects.create(
                run=run,
                key=done.step,
                done_by=user,
                done_by_label=label,
                done_at=done.at,
                choice=done.choice,
                note=done.note,
                detail=jsonable(dict(done.detail)),
            )
    except IntegrityError:  # a concurrent request did it first
        raise Conflict(f"«{state.playbook.step(done.step).title}» is already done") from None
    later = state.after(done)
    for key, old, new in state.changes(later):
        after: dict[str, Any] = {"step": key, "state": str(new)}
        if key == done.step:
            after.update(note=done.note, choice=done.choice, detail=row.detail)
        record(
            actor,
            f"playbook.step_{new}",
            run,
            ticket=run.ticket,
            at=done.at,
            before={"step": key, "state": str(old)},
            after=after,
        )
    _after_step(run, later, done, actor)
    return row


def _after_step(run: PlaybookRun, later: Run, done: Record, actor: Any) -> None:
    """Forget the step's last observation; finish the run when nothing is left."""
    observations = dict(run.observations or {})
    observations.pop(done.step, None)
    run.observations = observations
    fields = ["observations"]
    if later.finished:
        run.state, run.ended_at = RunState.FINISHED, done.at
        fields += ["state", "ended_at"]
        record(actor, "playbook.finished", run, ticket=run.ticket, at=done.at)
    run.save(update_fields=fields)


def observe(run: PlaybookRun, key: str, text: str, actor: Any, at: datetime | None = None) -> None:
    """Remember the latest thing seen about a step that did not change its state."""
    at = at or timezone.now()
    run.observations = {**(run.observations or {}), key: {"text": text, "at": at.isoformat()}}
    run.save(update_fields=["observations"])
    record(
        actor,
        "playbook.step_observed",
        run,
        ticket=run.ticket,
        at=at,
        after={"step": key, "text": text},
    )


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
