"""Playbook emails: render a step's template, build the outbox payload.

A playbook email is threaded two ways: it carries the ticket's "[HD#123]" tag,
and its Message-ID is stored on a note in the ticket's conversation, so a reply
to it (In-Reply-To/References) lands on the ticket and can open a gate. Mail to
the requester answers their latest mail (In-Reply-To/References of the ticket's
thread); mail to anyone else (the account owner) starts a thread of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from herodesk.domain.playbook import Step
from herodesk.domain.subject_tag import tagged_subject
from herodesk.notify import common
from herodesk.notify import email as mail
from herodesk.tickets.models import Ticket


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str


def recipient(step: Step, inputs: dict[str, Any], ticket: Ticket) -> str:
    target = step.params["to"]
    if target == "requester":
        return ticket.requester.email if ticket.requester and ticket.requester.email else ""
    return str(inputs.get(target) or "")


def values(inputs: dict[str, Any], ticket: Ticket, hero: Any) -> dict[str, Any]:
    """What a template may use (docs/playbooks.md lists these names)."""
    requester = ticket.requester
    org = requester.organization if requester is not None else None
    account_email = str(inputs.get("account_email") or "")
    same_person = requester is not None and (requester.email or "").lower() == account_email.lower()
    name = str(inputs.get("account_name") or "") or (
        requester.first_name if same_person and requester is not None else "there"
    )
    return {
        "product": settings.HERODESK_PRODUCT_NAME,
        "ticket": ticket.pk,
        "hero": common.name_of(hero) if hero is not None else mail.sender()[0],
        "name": name,
        "requester_name": requester.first_name if requester is not None else "there",
        "organization": str(inputs.get("organization") or "")
        or (org.name if org else "your organization"),
        "owner_email": str(inputs.get("owner_email") or ""),
        "account_email": account_email,
    }


def render(step: Step, inputs: dict[str, Any], ticket: Ticket, hero: Any) -> Email:
    context = values(inputs, ticket, hero)
    return Email(
        to=recipient(step, inputs, ticket),
        subject=step.params["subject"].format(**context),
        text=step.params["body"].format(**context),
    )


def _reply_to() -> str | None:
    """Replies go to the support address when mail is sent from another one."""
    support = settings.HERODESK_SUPPORT_ADDRESS
    return support if support and support.lower() != mail.sender()[1].lower() else None


def payload(ticket: Ticket, email: Email, message_id: str) -> dict[str, Any]:
    """The outbox payload: tagged subject, our Message-ID, threaded to the requester."""
    headers = {"Message-ID": message_id}
    thread = mail.thread_of(ticket)
    if thread is not None and [a.lower() for a in thread.to] == [email.to.lower()]:
        if thread.in_reply_to:
            headers["In-Reply-To"] = thread.in_reply_to
        references = [r for r in thread.references if r != message_id]
        if references:
            headers["References"] = " ".join(references)
    return {
        "to": [email.to],
        "cc": [],
        "from": settings.DEFAULT_FROM_EMAIL,
        "reply_to": _reply_to(),
        "subject": tagged_subject(ticket.pk, email.subject),
        "text": email.text,
        "headers": headers,
    }
