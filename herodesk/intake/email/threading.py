"""Which ticket does an incoming mail belong to?

1. Any id it answers (In-Reply-To, then References newest first) that is the
   Message-ID of a message on a ticket (requester mail we received, or a reply
   we sent, when the outbound side records its Message-ID on the message).
2. Else a ticket tag in the subject, "[HD#123]", when the sender is that
   ticket's requester (a bare number is guessable; a Message-ID is not).

Merged tickets forward to the ticket they were merged into.

A reply matched by its Message-IDs is trusted only from a participant of the
ticket (`participants`): its requester, the people the thread's mail was sent
to or copied to, and earlier senders. Mail from any other address quoting a
known Message-ID is kept on the ticket but flagged "from a new address" (an
outsider may know a Message-ID: it travels in every copy of the thread).
"""

from __future__ import annotations

from typing import Any

from herodesk.domain.subject_tag import tagged_ids
from herodesk.tickets.models import Message, Ticket

MAX_MERGE_HOPS = 10


def _surviving(ticket: Ticket) -> Ticket:
    for _hop in range(MAX_MERGE_HOPS):
        if ticket.merged_into is None:
            break
        ticket = ticket.merged_into
    return ticket


def by_message_ids(ids: list[str]) -> Ticket | None:
    """The ticket holding the nearest of `ids` (ordered nearest first)."""
    if not ids:
        return None
    rows = dict(Message.objects.filter(external_id__in=ids).values_list("external_id", "ticket_id"))
    for mid in ids:
        if mid in rows:
            ticket = Ticket.objects.select_related("requester").get(pk=rows[mid])
            return _surviving(ticket)
    return None


def by_subject_tag(subject: str, sender: str) -> Ticket | None:
    """The tagged ticket, if the sender is its requester."""
    for ticket_id in tagged_ids(subject):
        ticket = Ticket.objects.select_related("requester").filter(pk=ticket_id).first()
        if ticket is None:
            continue
        email = ticket.requester.email if ticket.requester else None
        if email and email.lower() == sender.lower():
            return _surviving(ticket)
    return None


def find_ticket(thread_ids: list[str], subject: str, sender: str) -> Ticket | None:
    return by_message_ids(thread_ids) or by_subject_tag(subject, sender)


def _addresses(email_meta: Any) -> set[str]:
    if not isinstance(email_meta, dict):
        return set()
    found = set()
    for key in ("from", "reply_to"):
        value = email_meta.get(key)
        if isinstance(value, str) and value:
            found.add(value)
    for key in ("to", "cc"):
        values = email_meta.get(key)
        if isinstance(values, list):
            found.update(v for v in values if isinstance(v, str) and v)
    return found


def participants(ticket: Ticket) -> set[str]:
    """Lower-cased addresses that belong on the ticket's thread."""
    found: set[str] = set()
    if ticket.requester is not None and ticket.requester.email:
        found.add(ticket.requester.email)
    found |= _addresses((ticket.metadata or {}).get("email"))
    rows = Message.objects.filter(ticket=ticket).select_related("requester")
    for message in rows.only("metadata", "requester__email"):
        meta = message.metadata or {}
        if meta.get("new_address"):
            continue  # an outsider's mail does not make others (or itself) participants
        if message.requester is not None and message.requester.email:
            found.add(message.requester.email)
        found |= _addresses(meta.get("email"))
    return {address.strip().lower() for address in found}


def is_participant(ticket: Ticket, sender: str) -> bool:
    return sender.strip().lower() in participants(ticket)
