"""Opening a sensitive link: the customer panel's (with a reason) and a guarded step's."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from herodesk.audit.log import record
from herodesk.domain.playbook import Kind, State, StepError
from herodesk.lib.errors import Conflict, Invalid, NotFound
from herodesk.playbooks.actions._common import http_error, locked_run
from herodesk.playbooks.customer import PANEL_LINKS, link_url, step_link
from herodesk.playbooks.links import LinkError
from herodesk.playbooks.models import PlaybookRun
from herodesk.tickets.models import Ticket

MIN_REASON = 3


@transaction.atomic
def customer_link_open(ticket: Ticket, kind: str, *, actor: Any, reason: str) -> str:
    """The URL of a per-requester link ("log in as", billing), audited with the reason."""
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise Invalid("say why you open this link (it is written to the audit log)", field="reason")
    if kind not in PANEL_LINKS:
        raise NotFound(f"no {kind!r} link on the customer panel")
    if ticket.requester is None:
        raise NotFound(f"ticket #{ticket.pk} has no requester")
    try:
        url = link_url(ticket, kind)
    except LinkError as exc:
        raise Conflict(str(exc)) from None
    record(
        actor,
        "customer.link_opened",
        ticket.requester,
        ticket=ticket,
        after={"link": kind, "url": url, "reason": reason[:500], "ticket": ticket.pk},
    )
    return url


@transaction.atomic
def step_link_open(run: PlaybookRun, key: str, *, actor: Any) -> str:
    """A guarded step's admin link: only while the step is ready; audited."""
    run, state = locked_run(run.pk)
    try:
        view = state.view(key)
    except StepError as exc:  # no such step: a 404, not a crash
        raise http_error(exc, key) from None
    step = view.step
    if step.kind is not Kind.ACTION or not step.params.get("link"):
        raise NotFound(f"«{step.title}» has no link")
    if view.state is not State.READY:
        why = view.reason or f"it is {view.state}"
        raise Conflict(f"«{step.title}» is not ready: {why}")
    url, problem = step_link(run, step)
    if not url:
        raise Conflict(problem)
    record(
        actor,
        "playbook.link_opened",
        run,
        ticket=run.ticket,
        after={"step": key, "link": step.params["link"], "url": url},
    )
    return url
