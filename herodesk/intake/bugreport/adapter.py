"""In-app bug reports → tickets.

`accept_bug_report` stores the validated JSON as a Delivery (key: the
client's id or Idempotency-Key, else a hash of the body) and enqueues it;
`handle_report` opens the ticket with the context links in
ticket.metadata["context"].
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from pydantic import ValidationError

from herodesk.customers.actions import requester_fill_in, requester_for
from herodesk.customers.lookup import organization_for
from herodesk.customers.models import Requester
from herodesk.intake.base import Failed, accept
from herodesk.intake.bugreport.schema import BugReportIn
from herodesk.intake.models import Delivery
from herodesk.intake.triage import route
from herodesk.tickets import actions
from herodesk.tickets.models import Channel, Ticket

CHANNEL = "bug_report"
EVENT = "report"
ACTOR = "bug_report"
SUBJECT_LENGTH = 80


def delivery_key(body: bytes, report: BugReportIn, idempotency_key: str = "") -> str:
    client_key = (idempotency_key or report.id or "").strip()
    if client_key:
        return "id:" + client_key[:200]
    return "sha256:" + hashlib.sha256(body).hexdigest()


def accept_bug_report(
    body: bytes, report: BugReportIn, *, idempotency_key: str = "", submitted_by: str = ""
) -> tuple[Delivery, bool]:
    """Store the (already validated) report and enqueue its processing."""
    headers = {"source": "api", "submitted_by": submitted_by}
    if idempotency_key:
        headers["idempotency_key"] = idempotency_key
    return accept(CHANNEL, delivery_key(body, report, idempotency_key), EVENT, headers, body)


def subject_for(report: BugReportIn) -> str:
    if report.subject:
        return report.subject
    first = next((line.strip() for line in report.message.splitlines() if line.strip()), "")
    if len(first) > SUBJECT_LENGTH:
        first = first[: SUBJECT_LENGTH - 1].rstrip() + "…"
    return f"Bug report: {first}" if first else "Bug report"


def _requester(report: BugReportIn) -> Requester:
    org = report.organization
    refs = [org.external_id, org.name] if org else []
    # The first reference that names a known organization (external id first).
    ref = next((r for r in refs if r and organization_for(r) is not None), None)
    requester = requester_for(email=str(report.user.email), name=report.user.name, organization=ref)
    if report.user.username and not requester.username:
        requester_fill_in(requester, actor="bug_report", username=report.user.username)
    return requester


def metadata_for(report: BugReportIn) -> dict[str, Any]:
    org = report.organization
    return {
        "context": report.context_links(),
        "bug_report": {
            "id": report.id,
            "user": report.user.model_dump(mode="json"),
            "organization": org.model_dump() if org else None,
        },
    }


def handle_report(delivery: Delivery) -> Ticket:
    if delivery.ticket is not None:  # a replay of a report that already became a ticket
        return delivery.ticket
    try:
        report = BugReportIn.model_validate(json.loads(bytes(delivery.body)))
    except (ValueError, ValidationError) as exc:
        raise Failed(f"invalid bug report: {exc}") from exc
    with transaction.atomic():
        requester = _requester(report)
        team = route(channel=Channel.BUG_REPORT, text=report.message, requester=requester)
        return actions.ticket_create(
            subject=subject_for(report),
            body=report.message,
            actor=ACTOR,
            channel=Channel.BUG_REPORT,
            team=team,
            requester=requester,
            metadata=metadata_for(report),
        )


EVENT_HANDLERS = {EVENT: handle_report}
