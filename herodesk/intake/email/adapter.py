"""Email deliveries → tickets.

`accept_email` is the front door (SMTP server and POST /api/v1/email): it
stores the raw message as a Delivery keyed by its Message-ID and enqueues
processing. `handle_message` runs in the worker: parse, drop machine mail,
thread onto an existing ticket or open a new one, store the attachments.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from herodesk.customers.actions import requester_for
from herodesk.domain.subject_tag import strip_tag
from herodesk.intake import signals
from herodesk.intake.base import Failed, Ignored, accept
from herodesk.intake.email import loops, threading
from herodesk.intake.email.attachments import store_attachments
from herodesk.intake.email.clean import strip_reply
from herodesk.intake.email.dsn import parse_bounce
from herodesk.intake.email.parse import MalformedEmail, ParsedEmail, message_ids, parse_email
from herodesk.intake.models import Delivery
from herodesk.intake.triage import route
from herodesk.tickets import actions
from herodesk.tickets.models import Channel, Message, Ticket

CHANNEL = "email"
EVENT = "message"
ACTOR = "email"
LOOP_LIMIT_PER_HOUR = 30  # more mail than this from one sender in an hour is a loop


def delivery_key(raw: bytes) -> str:
    """The idempotency key: the Message-ID, else a SHA-256 of the bytes."""
    try:
        headers = BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=True)
        mids = message_ids(str(headers.get("message-id", "")))
    except Exception:  # unparseable headers: the hash still identifies it
        mids = []
    return mids[0] if mids else "sha256:" + hashlib.sha256(raw).hexdigest()


def accept_email(raw: bytes, *, envelope: dict[str, Any]) -> tuple[Delivery, bool]:
    """Store the raw message and enqueue its processing (one transaction)."""
    return accept(CHANNEL, delivery_key(raw), EVENT, envelope, raw)


def own_addresses() -> set[str]:
    return loops.own_addresses(
        settings.HERODESK_SUPPORT_ADDRESS,
        settings.DEFAULT_FROM_EMAIL,
        *settings.HERODESK_INBOUND_ADDRESSES,
    )


def display_body(mail: ParsedEmail) -> str:
    """What the hero reads: the new text only, never empty."""
    body = strip_reply(mail.text)
    if body.strip():
        return body
    if mail.attachments:
        return "(no text; attachments: " + ", ".join(a.filename for a in mail.attachments) + ")"
    return "(empty message)"


def thread_metadata(mail: ParsedEmail) -> dict[str, Any]:
    """What outbound mail needs to answer in the same thread."""
    chain = [*mail.references] or [*mail.in_reply_to]
    if mail.message_id:
        chain.append(mail.message_id)
    return {
        "message_id": mail.message_id,
        "in_reply_to": [*mail.in_reply_to],
        "references": chain[-20:],
        "reply_to": mail.reply_to,
        "subject": mail.subject,
        "from": mail.from_email,
        "to": mail.to,
        "cc": mail.cc,
    }


def _loop_reason(sender: str) -> str:
    since = timezone.now() - timedelta(hours=1)
    count = Message.objects.filter(requester__email=sender, created_at__gte=since).count()
    if count >= LOOP_LIMIT_PER_HOUR:
        return (
            f"{count} messages from {sender} in the last hour: treated as a mail loop "
            f"(limit {LOOP_LIMIT_PER_HOUR}/hour)"
        )
    return ""


def _skip_reason(mail: ParsedEmail, delivery: Delivery) -> str:
    reason = loops.automatic_reason(
        mail, own=own_addresses(), envelope_from=delivery.headers.get("mail_from")
    )
    if reason or not mail.from_email:
        return reason
    return _loop_reason(mail.from_email)


def _open_ticket(mail: ParsedEmail, requester: Any, body: str) -> tuple[Ticket, Message]:
    subject = strip_tag(mail.subject) or "(no subject)"
    team = route(channel=Channel.EMAIL, text=f"{subject}\n{body}", requester=requester)
    ticket = actions.ticket_create(
        subject=subject,
        body=body,
        actor=ACTOR,
        channel=Channel.EMAIL,
        team=team,
        requester=requester,
        metadata={"email": thread_metadata(mail)},
        body_html=mail.html,
        original=mail.text,
        message_external_id=mail.message_id,
    )
    return ticket, Message.objects.get(ticket=ticket)


def _append(
    ticket: Ticket, mail: ParsedEmail, requester: Any, body: str, delivery: Delivery
) -> tuple[Ticket, Message]:
    write = (
        actions.ticket_requester_message
        if threading.is_participant(ticket, mail.from_email)
        else actions.ticket_message_from_new_address
    )
    return write(
        ticket,
        body=body,
        actor=ACTOR,
        requester=requester,
        body_html=mail.html,
        original=mail.text,
        external_id=mail.message_id,
        metadata={"email": thread_metadata(mail), "delivery": delivery.pk},
    )


def _bounce_ticket(delivery: Delivery) -> Ticket | None:
    """Machine mail that reports a failed delivery of ours: tell whoever watches
    (`signals.bounce_received`). A receiver that used it answers with its ticket."""
    bounce = parse_bounce(bytes(delivery.body))
    if bounce is None:
        return None
    for _receiver, answer in signals.bounce_received.send(
        Delivery, bounce=bounce, delivery=delivery
    ):
        if isinstance(answer, Ticket):
            return answer
    return None


def handle_message(delivery: Delivery) -> Ticket | None:
    """Turn one stored mail into a ticket or a message on its thread."""
    if delivery.ticket is not None:  # a replay of a mail that already landed
        return delivery.ticket
    try:
        mail = parse_email(bytes(delivery.body))
    except MalformedEmail as exc:
        raise Failed(f"malformed email: {exc}") from exc
    reason = _skip_reason(mail, delivery)
    if reason:
        used_by = _bounce_ticket(delivery)
        if used_by is not None:  # a bounce a playbook waited for: processed on its ticket
            return used_by
        raise Ignored(reason)
    if not mail.from_email:
        raise Failed(
            "malformed email: no sender (From, Sender and Return-Path are missing or unreadable)"
        )
    body = display_body(mail)
    for _receiver, used in signals.mail_received.send(
        Delivery, mail=mail, body=body, delivery=delivery
    ):
        if used:  # an answer to a community question (or its bounce): no ticket here
            return None
    with transaction.atomic():
        requester = requester_for(email=mail.from_email, name=mail.from_name)
        existing = threading.find_ticket(mail.thread_ids, mail.subject, mail.from_email)
        if existing is not None:
            ticket, message = _append(existing, mail, requester, body, delivery)
        else:
            ticket, message = _open_ticket(mail, requester, body)
        store_attachments(
            mail.attachments, message=message, delivery=delivery, at=message.created_at
        )
    return ticket


EVENT_HANDLERS = {EVENT: handle_message}
