"""Which ticket does an incoming mail belong to?

1. Any id it answers (In-Reply-To, then References newest first) that is the
   Message-ID of a message on a ticket (requester mail we received, or a reply
   we sent, when the outbound side records its Message-ID on the message).
2. Else a ticket tag in the subject, "[HD#123]", when the sender is that
   ticket's requester (a bare number is guessable; a Message-ID is not).

Merged tickets forward to the ticket they were merged into.
"""

from __future__ import annotations

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
