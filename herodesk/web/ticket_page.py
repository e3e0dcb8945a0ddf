"""Reads for the ticket page: the ticket, its conversation, the customer
context, history and composer settings. A fixed number of queries whatever
the length of the conversation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch

from herodesk.audit.models import Event
from herodesk.lib import channels
from herodesk.lib.errors import NotFound
from herodesk.tickets import checks
from herodesk.tickets.models import Message, Ticket
from herodesk.web.templatetags.desk import safe_url

PREVIOUS_LIMIT = 6
HISTORY_LIMIT = 50
CONTEXT_LABELS = {
    "admin_url": "Admin page",
    "session_recording_url": "Session recording",
    "current_url": "Page they were on",
    "app_version": "App version",
}


def _source_label(channel: str) -> str:
    spec = channels.get(channel)
    return spec.source_label if spec else "Original"


def load_ticket(pk: int) -> Ticket:
    """The ticket with everything the page shows (two queries: ticket, messages)."""
    messages = Message.objects.select_related("author", "requester")
    messages = messages.prefetch_related("attachments")
    ticket = (
        Ticket.objects.filter(pk=pk)
        .select_related(
            "team",
            "requester__organization__cs_owner",
            "assignee",
            "follow_up_of",
            "merged_into",
            "follow_up_user",
        )
        .prefetch_related(Prefetch("messages", queryset=messages))
        .first()
    )
    if ticket is None:
        raise NotFound(f"ticket #{pk} not found")
    return ticket


def previous_tickets(ticket: Ticket) -> list[Ticket]:
    """The requester's other tickets, newest first."""
    if ticket.requester_id is None:
        return []
    return list(
        Ticket.objects.filter(requester_id=ticket.requester_id)
        .exclude(pk=ticket.pk)
        .select_related("team")
        .order_by("-created_at", "-id")[:PREVIOUS_LIMIT]
    )


@dataclass(frozen=True)
class ContextLink:
    """A link shown on the ticket; `key` names it for the audited redirect
    (views/links.py). `key` is empty for plain text (an app version)."""

    label: str
    key: str
    text: str


def context_links(ticket: Ticket) -> list[ContextLink]:
    """Bug-report context (admin page, session recording, …) and the external URL."""
    out = []
    raw = ticket.metadata.get("context") if isinstance(ticket.metadata, dict) else None
    if isinstance(raw, dict):
        for key, value in raw.items():
            label = CONTEXT_LABELS.get(str(key), str(key).replace("_", " ").capitalize())
            link = f"ctx_{key}" if safe_url(str(value)) and str(key).isidentifier() else ""
            out.append(ContextLink(label, link, str(value)[:200]))
    if ticket.external_url and safe_url(ticket.external_url):
        out.append(ContextLink(_source_label(ticket.channel), "original", ticket.external_url))
    return out


ACTION_TEXT = {
    "ticket.created": "opened the ticket",
    "ticket.replied": "replied publicly",
    "ticket.noted": "added an internal note",
    "ticket.requester_message": "wrote again",
    "ticket.follow_up": "opened a follow-up",
    "ticket.tier": "changed the tier",
    "ticket.team": "moved the ticket",
}


@dataclass(frozen=True)
class HistoryItem:
    at: Any
    who: str
    text: str


def _describe(e: Event) -> str:
    if e.action == "ticket.status":
        return f"set status {e.before.get('status', '?')} → {e.after.get('status', '?')}"
    if e.action == "ticket.assigned":
        to = e.after.get("assignee")
        return f"assigned it to {to}" if to else "unassigned it"
    if e.action == "ticket.replied" and e.after.get("grade"):
        return f"replied publicly ({str(e.after['grade']).replace('_', ' ')})"
    if e.action == "ticket.tier":
        return f"changed the tier T{e.before.get('tier')} → T{e.after.get('tier')}"
    return ACTION_TEXT.get(e.action, e.action.replace("ticket.", "").replace("_", " "))


def history(ticket: Ticket) -> list[HistoryItem]:
    events = (
        Event.objects.filter(ticket=ticket)
        .select_related("actor")
        .order_by("-created_at", "-id")[:HISTORY_LIMIT]
    )
    return [
        HistoryItem(
            e.created_at,
            (e.actor.get_full_name() or e.actor.get_username()) if e.actor else e.actor_label,
            _describe(e),
        )
        for e in events
    ]


def internal_hosts() -> list[str]:
    """Patterns of internal links (setting), plus the desk's own host."""
    configured = getattr(settings, "HERODESK_INTERNAL_HOSTS", None)
    patterns = list(configured) if configured else list(checks.DEFAULT_INTERNAL_HOSTS)

    own = urlsplit(settings.BASE_URL).hostname
    if own and own not in patterns:
        patterns.append(own)
    return patterns


def reply_warnings(ticket: Ticket, body: str, public: bool) -> list[checks.ReplyWarning]:
    first = ticket.requester.first_name if ticket.requester is not None else ""
    return checks.check_reply(
        body, first_name=first, public=public, internal_hosts=internal_hosts()
    )
