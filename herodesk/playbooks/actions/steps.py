"""Performing a ready step: what each kind of step does before it is recorded."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from herodesk.domain.playbook import Kind, Record, Run, Step, StepError
from herodesk.lib.errors import Conflict, Invalid
from herodesk.notify import email as notify_email
from herodesk.notify import outbox
from herodesk.notify.models import Transport
from herodesk.playbooks import emails
from herodesk.playbooks.actions._common import commit_step, http_error, locked_run
from herodesk.playbooks.customer import step_link
from herodesk.playbooks.models import PlaybookRun, PlaybookStep
from herodesk.playbooks.probes import ProbeError, fetch_last_login
from herodesk.tickets import actions as ticket_actions

MAX_NOTE = 4000


@transaction.atomic
def step_perform(
    run: PlaybookRun,
    key: str,
    *,
    actor: Any,
    note: str = "",
    choice: str = "",
    at: datetime | None = None,
) -> PlaybookStep:
    """Do step `key` now (409 with the reason while it is locked or once done)."""
    at = at or timezone.now()
    run, state = locked_run(run.pk)
    label = actor.get_username() if hasattr(actor, "get_username") else str(actor)
    try:
        done = state.perform(key, by=label, at=at, choice=choice, note=(note or "")[:MAX_NOTE])
    except StepError as exc:
        raise http_error(exc, key) from None
    step = state.playbook.step(key)
    detail = _effects(run, state, step, done, actor)
    if step.kind is Kind.ACTION:
        detail = {**detail, **done.detail}
    return commit_step(run, state, dataclasses.replace(done, detail=detail), actor)


def _effects(run: PlaybookRun, state: Run, step: Step, done: Record, actor: Any) -> dict[str, Any]:
    """What the step does in the world, as the evidence to record."""
    if step.kind is Kind.EMAIL:
        return _send(run, step, actor, done.at)
    if step.kind is Kind.AUTO_CHECK:
        return _probe(run, state, step, done)
    if step.kind is Kind.ACTION and step.params.get("link"):
        url, problem = step_link(run, step)
        return {"link": url} if url else {"link": None, "link_problem": problem}
    return {}


def _send(run: PlaybookRun, step: Step, actor: Any, at: datetime) -> dict[str, Any]:
    ticket = run.ticket
    email = emails.render(step, run.inputs, ticket, actor)
    if not email.to:
        raise Invalid("there is no address to send this email to", field=step.params["to"])
    message_id = notify_email.new_message_id()
    delivery = outbox.enqueue(
        key=f"playbook:{run.pk}:{step.key}",
        transport=Transport.EMAIL,
        kind="playbook",
        recipient=email.to,
        payload=emails.payload(ticket, email, message_id),
        ticket=ticket,
        now=at,
    )
    if delivery is None:
        raise Conflict(f"«{step.title}» was already sent")
    note = ticket_actions.ticket_note(
        ticket,
        author=actor if not isinstance(actor, str) else None,
        body=f"Playbook email to {email.to}: {email.subject}\n\n{email.text}",
        at=at,
        metadata={"playbook": {"run": run.pk, "step": step.key}},
        announce=False,
    )
    # Replies to this email thread onto the ticket by its Message-ID.
    ticket_actions.messages_set_external_id([note.pk], message_id)
    return {
        "to": email.to,
        "subject": email.subject,
        "message_id": message_id,
        "delivery": delivery.pk,
        "message": note.pk,
    }


def _probe(run: PlaybookRun, state: Run, step: Step, done: Record) -> dict[str, Any]:
    probe = step.params.get("probe", "")
    if probe.startswith("app"):
        raise Conflict("upload the archive: this step opens when an app review of it passes")
    if probe == "bounce":
        sent = state.records.get(step.params["email"])
        since = f" since {sent.at:%Y-%m-%d %H:%M %Z}" if sent else ""
        return {"bounced": False, "checked": f"no bounce arrived{since}"}
    if probe == "last-login":
        return _last_login(run, step, done)
    raise Invalid(f"unknown probe {probe!r}")


def _last_login(run: PlaybookRun, step: Step, done: Record) -> dict[str, Any]:
    email = str(run.inputs.get(step.params.get("user", "")) or "")
    url = settings.HERODESK_CUSTOMER_DATA_URL
    if not url:
        if not done.note:
            raise Invalid(
                "no customer-data source is configured (HERODESK_CUSTOMER_DATA_URL): "
                "enter the last login you found as the note",
                field="note",
            )
        return {"last_login": None, "source": "entered by hand"}
    try:
        found = fetch_last_login(url, email, token=settings.HERODESK_CUSTOMER_DATA_TOKEN)
    except ProbeError as exc:
        if done.note:
            return {"last_login": None, "source": "entered by hand", "probe_error": str(exc)}
        raise Conflict(f"{exc}; enter the last login as the note to record it by hand") from None
    return {
        "user": email,
        "last_login": found.at.isoformat() if found.at else None,
        "never_logged_in": found.at is None,
        "source": found.source,
    }
