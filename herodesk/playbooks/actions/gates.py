"""Gates opened by the outside world: a reply from the expected address, a bounce."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.domain.playbook import Kind, Record, Run, State, StepError
from herodesk.intake.email.dsn import Bounce
from herodesk.playbooks import definitions
from herodesk.playbooks.actions._common import commit_step, locked_run, observe
from herodesk.playbooks.models import PlaybookRun, PlaybookStep, RunState
from herodesk.tickets.models import Message


def thread_ids(message: Message) -> set[str]:
    """The Message-IDs a mail answers (In-Reply-To and References)."""
    mail = (message.metadata or {}).get("email") or {}
    ids = [*(mail.get("references") or []), *(mail.get("in_reply_to") or [])]
    own = mail.get("message_id")
    return {str(i) for i in ids if i and i != own}


def _sent_id(state: Run, email_step: str) -> str:
    record = state.records.get(email_step)
    return str(record.detail.get("message_id", "")) if record else ""


@transaction.atomic
def reply_received(message: Message) -> list[PlaybookStep]:
    """Open every wait-for-reply gate this mail answers, if it comes from the expected
    address; otherwise say on the step whose reply it was and why it stays shut."""
    mail = (message.metadata or {}).get("email") or {}
    sender = str(mail.get("from") or "").lower()
    answers = thread_ids(message)
    if not sender or not answers:
        return []
    opened = []
    for pk in PlaybookRun.objects.filter(
        ticket_id=message.ticket_id, state=RunState.ACTIVE
    ).values_list("pk", flat=True):
        run, state = locked_run(pk)
        for view in state.views():
            step = view.step
            if step.kind is not Kind.WAIT or view.state is not State.READY:
                continue
            if _sent_id(state, step.params["email"]) not in answers:
                continue
            expected = str(run.inputs.get(step.params["sender"]) or "").lower()
            refusal = _refusal(sender, expected)
            if refusal:
                observe(run, step.key, refusal, f"email:{sender}", message.created_at)
                continue
            opened.append(_open(run, state, step.key, sender, message))
            run, state = locked_run(pk)
    return opened


def _refusal(sender: str, expected: str) -> str:
    """Why a reply on the right thread does not open the gate ("" when it does).

    The thread match (our random Message-ID) already means the writer saw our
    email; the sender must also be the address the step waits for."""
    if sender != expected:
        return f"reply from {sender} is not the account owner ({expected})"
    return ""


def _open(run: PlaybookRun, state: Run, key: str, sender: str, message: Message) -> PlaybookStep:
    detail = {"from": sender, "message_id": message.external_id, "message": message.pk}
    try:
        done = state.perform(
            key, by=f"email:{sender}", at=message.created_at, detail=detail, reply=True
        )
    except StepError as exc:  # pragma: no cover - checked ready just above, under the lock
        raise RuntimeError(exc.message) from exc
    return commit_step(run, state, done, f"email:{sender}")


@transaction.atomic
def bounce_received(bounce: Bounce) -> list[PlaybookStep]:
    """Open the bounce auto-checks whose email bounced."""
    opened = []
    watching = [
        slug
        for slug, playbook in definitions.PLAYBOOKS.items()
        if any(s.params.get("probe") == "bounce" for s in playbook.steps)
    ]
    sent = PlaybookStep.objects.filter(
        run__state=RunState.ACTIVE, run__playbook__in=watching
    ).values_list("run_id", "detail")
    # Only runs that sent one of the bounced messages are locked and looked at.
    matching = {
        run_id for run_id, detail in sent if detail.get("message_id") in bounce.original_ids
    }
    for pk in sorted(matching):
        run, state = locked_run(pk)
        for view in state.views():
            step = view.step
            if step.kind is not Kind.AUTO_CHECK or step.params.get("probe") != "bounce":
                continue
            if _sent_id(state, step.params["email"]) not in bounce.original_ids:
                continue
            if view.state is not State.READY:
                record(
                    "system",
                    "playbook.bounce_ignored",
                    run,
                    ticket=run.ticket,
                    after={"step": step.key, "state": str(view.state), "reason": bounce.reason},
                )
                continue
            done = Record(
                step.key,
                "system",
                timezone.now(),
                detail={
                    "bounced": True,
                    "reason": bounce.reason,
                    "recipients": [r.address for r in bounce.recipients],
                },
            )
            opened.append(commit_step(run, state, done, "system"))
    return opened
