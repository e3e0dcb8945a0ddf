"""Starting and cancelling playbook runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from herodesk.audit.log import actor_parts, record
from herodesk.domain.playbook import Playbook, Run
from herodesk.lib.errors import Conflict, Invalid
from herodesk.playbooks import definitions
from herodesk.playbooks.actions._common import locked_run
from herodesk.playbooks.models import PlaybookRun, RunState
from herodesk.tickets.models import Ticket

MAX_INPUT = 300


@transaction.atomic
def run_start(
    ticket: Ticket,
    slug: str,
    inputs: dict[str, Any] | None,
    *,
    actor: Any,
    at: datetime | None = None,
) -> PlaybookRun:
    """Start a playbook on a ticket; one active run per playbook per ticket."""
    at = at or timezone.now()
    playbook = definitions.get(slug)
    if playbook is None:
        known = ", ".join(definitions.PLAYBOOKS)
        raise Invalid(f"no playbook {slug!r} (known: {known})", field="playbook")
    clean = _inputs(playbook, inputs or {}, ticket)
    if PlaybookRun.objects.filter(ticket=ticket, playbook=slug, state=RunState.ACTIVE).exists():
        raise Conflict(f"ticket #{ticket.pk} already has an active {playbook.name} run")
    user, _label = actor_parts(actor)
    try:
        with transaction.atomic():
            run = PlaybookRun.objects.create(
                ticket=ticket, playbook=slug, inputs=clean, started_by=user, started_at=at
            )
    except IntegrityError:  # another request started one at the same moment
        raise Conflict(f"ticket #{ticket.pk} already has an active {playbook.name} run") from None
    states = {v.step.key: str(v.state) for v in Run(playbook, []).views()}
    record(
        actor,
        "playbook.started",
        run,
        ticket=ticket,
        at=at,
        after={"playbook": slug, "inputs": clean, "steps": states},
    )
    return run


@transaction.atomic
def run_cancel(
    run: PlaybookRun, *, actor: Any, reason: str, at: datetime | None = None
) -> PlaybookRun:
    """Stop a run for good, saying why; what was done stays recorded."""
    at = at or timezone.now()
    reason = " ".join((reason or "").split())
    if not reason:
        raise Invalid("say why the run is cancelled", field="reason")
    run, _state = locked_run(run.pk)
    if run.state != RunState.ACTIVE:
        raise Conflict(f"this run is already {run.state}")
    user, _label = actor_parts(actor)
    run.state, run.ended_at = RunState.CANCELLED, at
    run.cancelled_by, run.cancel_reason = user, reason[:2000]
    run.save(update_fields=["state", "ended_at", "cancelled_by", "cancel_reason"])
    record(actor, "playbook.cancelled", run, ticket=run.ticket, at=at, after={"reason": reason})
    return run


def _inputs(playbook: Playbook, given: dict[str, Any], ticket: Ticket) -> dict[str, str]:
    known = {i.key for i in playbook.inputs}
    unknown = sorted(set(given) - known)
    if unknown:
        raise Invalid(f"{playbook.slug} has no input {unknown[0]!r}", field=f"inputs.{unknown[0]}")
    defaults = _defaults(ticket)
    clean: dict[str, str] = {}
    for spec in playbook.inputs:
        field = f"inputs.{spec.key}"
        value = " ".join(str(given.get(spec.key) or "").split())[:MAX_INPUT]
        value = value or defaults.get(spec.key, "")
        if spec.key == "account_name" and not given.get("account_name"):
            same = (
                clean.get("account_email", "").lower() == defaults.get("account_email", "").lower()
            )
            value = defaults["account_name"] if same else ""
        if not value:
            if spec.required:
                raise Invalid(f"{spec.label}: required", field=field)
            continue
        clean[spec.key] = _checked(spec.kind, spec.key, value, field)
    return clean


def _defaults(ticket: Ticket) -> dict[str, str]:
    requester = ticket.requester
    org = requester.organization if requester is not None else None
    return {
        "account_email": (requester.email or "") if requester else "",
        "account_name": (requester.name or "") if requester else "",
        "organization": org.name if org else "",
    }


def _checked(kind: str, key: str, value: str, field: str) -> str:
    if kind == "email":
        # lazy: email-validator (its tables take ~30 ms) loads on the first address checked.
        from email_validator import EmailNotValidError, validate_email

        try:
            return validate_email(value, check_deliverability=False).normalized.lower()
        except EmailNotValidError as exc:
            raise Invalid(f"{value!r} is not an email address: {exc}", field=field) from None
    if key == "repository":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise Invalid("the repository must be an http(s) URL", field=field)
    return value
