"""Email out: render the acknowledgement, the (combined) reply and staff notices
into outbox payloads. Sending is transports.py's job.

Replies thread back: In-Reply-To names the requester's latest mail, References
carries its chain (ticket.metadata["email"] / message.metadata["email"], as
the email intake stores them), the subject carries the "[HD#123]" tag, and the
Message-ID we send is stored on the desk messages it carried.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.utils import formataddr, make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from herodesk.domain.subject_tag import tagged_subject
from herodesk.notify import common
from herodesk.notify.models import Delivery, Transport
from herodesk.tickets.models import Message, MessageKind, Ticket
from herodesk.tickets.sla import targets_for

GREETING_RE = re.compile(
    r"^\s*(hi|hey|hello|hiya|dear|good (morning|afternoon|evening)|greetings)\b", re.IGNORECASE
)
# A line that is only a greeting ("Hey Ana,"): dropped from the 2nd+ combined draft.
GREETING_LINE_RE = re.compile(
    r"^\s*(hi|hey|hello|hiya|dear|good (morning|afternoon|evening))\b[^\n]{0,40}[,!.:]?\s*$",
    re.IGNORECASE,
)
MAX_REFERENCES = 20


def sender() -> tuple[str, str]:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name or "HeroDesk Support", address or settings.HERODESK_SUPPORT_ADDRESS


def mail_domain() -> str:
    return sender()[1].rpartition("@")[2] or "herodesk.localhost"


def new_message_id() -> str:
    return make_msgid(idstring="hd", domain=mail_domain())


def own_addresses() -> set[str]:
    found = {
        sender()[1],
        settings.HERODESK_SUPPORT_ADDRESS,
        *[a for a in settings.HERODESK_INBOUND_ADDRESSES if not a.startswith("@")],
    }
    return {a.lower() for a in found if a}


def _reply_to() -> str | None:
    support = settings.HERODESK_SUPPORT_ADDRESS
    return support if support and support.lower() != sender()[1].lower() else None


@dataclass
class Thread:
    to: list[str]
    cc: list[str] = field(default_factory=list)
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    subject: str = ""


def desk_mail_ids(ticket: Ticket, exclude: str = "") -> list[str]:
    """Message-IDs of the mails the desk already sent about this ticket, oldest
    first: the acknowledgement, then each public reply's mail."""
    ack = (
        Delivery.objects.filter(ticket=ticket, kind="ack", transport=Transport.EMAIL)
        .order_by("id")
        .values_list("payload", flat=True)
        .first()
    )
    found = [str((ack or {}).get("headers", {}).get("Message-ID") or "")]
    replies = Message.objects.filter(
        ticket=ticket, kind=MessageKind.PUBLIC, external_id__startswith="<"
    ).order_by("created_at", "id")
    found += [str(m) for m in replies.values_list("external_id", flat=True)]
    return [m for m in dict.fromkeys(found) if m and m != exclude]


def thread_of(ticket: Ticket, exclude: str = "") -> Thread | None:
    """Where a mail about this ticket goes and which mail it answers (None: no address).

    A ticket that began as an email answers the requester's latest mail. One
    that did not (API, bug report, Slack) answers the desk's own latest mail
    about it (the acknowledgement, an earlier reply; `exclude` is the mail
    being written), so the customer's client keeps one conversation."""
    first = dict((ticket.metadata or {}).get("email") or {})
    latest = (
        Message.objects.filter(ticket=ticket, kind=MessageKind.REQUESTER)
        .order_by("-created_at", "-id")
        .only("external_id", "metadata")
        .first()
    )
    info = dict(((latest.metadata or {}).get("email") or {}) if latest else {}) or first
    # Answer the requester's latest mail: its own Message-ID when we have it.
    latest_id = latest.external_id if latest is not None else ""
    in_reply_to = latest_id if latest_id.startswith("<") else str(info.get("message_id") or "")
    references = [str(r) for r in info.get("references") or []]
    if not in_reply_to:
        references = desk_mail_ids(ticket, exclude)
        in_reply_to = references[-1] if references else ""
    if in_reply_to and in_reply_to not in references:
        references.append(in_reply_to)
    address = info.get("reply_to") or (ticket.requester.email if ticket.requester else "")
    if not address:
        return None
    own = own_addresses() | {str(address).lower()}
    cc = [a for a in info.get("cc") or [] if str(a).lower() not in own]
    return Thread(
        to=[str(address)],
        cc=cc,
        in_reply_to=in_reply_to,
        references=references[-MAX_REFERENCES:],
        subject=str(first.get("subject") or ticket.subject),
    )


def _re(subject: str) -> str:
    subject = " ".join(subject.split())[:250]  # one line, whatever came in
    return subject if re.match(r"^re\s*:", subject, re.IGNORECASE) else f"Re: {subject}"


def _headers(thread: Thread, message_id: str, auto: str = "") -> dict[str, str]:
    headers = {"Message-ID": message_id}
    if thread.in_reply_to:
        headers["In-Reply-To"] = thread.in_reply_to
    refs = [r for r in thread.references if r != message_id]
    if refs:
        headers["References"] = " ".join(refs)
    if auto:
        headers["Auto-Submitted"] = auto
        headers["X-Auto-Response-Suppress"] = "All"
    return headers


def requester_first_name(ticket: Ticket) -> str:
    return ticket.requester.first_name if ticket.requester else ""


def ack_payload(ticket: Ticket) -> dict[str, Any] | None:
    """ "We got your request" (RFC 3834 auto-reply: never answered by robots)."""
    thread = thread_of(ticket)
    if thread is None:
        return None

    okay = targets_for(ticket.team, ticket.tier).okay.total_seconds() / 60
    context = {
        "first_name": requester_first_name(ticket),
        "subject": thread.subject,
        "tag": f"[HD#{ticket.pk}]",
        "team": ticket.team.name if ticket.team else "",
        "expect": common.humanize_minutes(okay),
        "site": sender()[0],
    }
    message_id = new_message_id()
    return {
        "to": thread.to,
        "cc": thread.cc,
        "from": settings.DEFAULT_FROM_EMAIL,
        "reply_to": _reply_to(),
        "subject": tagged_subject(ticket.pk, _re(thread.subject)),
        "text": render_to_string("notify/email/ack.txt", context),
        "html": render_to_string("notify/email/ack.html", context),
        "headers": _headers(thread, message_id, auto="auto-replied"),
    }


def _strip_greeting_line(body: str) -> str:
    lines = body.strip().splitlines()
    if lines and GREETING_LINE_RE.match(lines[0]):
        lines = lines[1:]
    return "\n".join(lines).strip()


def compose(bodies: list[str], first_name: str) -> tuple[str, list[str]]:
    """(greeting to add or '', the parts): one greeting, whoever wrote which draft."""
    parts = [bodies[0].strip(), *[_strip_greeting_line(b) for b in bodies[1:]]]
    parts = [p for p in parts if p]
    greeted = bool(parts) and bool(GREETING_RE.match(parts[0]))
    greeting = "" if greeted else (f"Hi {first_name}," if first_name else "Hi there,")
    return greeting, parts


def reply_payload(
    ticket: Ticket, messages: list[Message], message_id: str
) -> dict[str, Any] | None:
    """One email carrying every public reply in `messages` (oldest first)."""
    thread = thread_of(ticket, exclude=message_id)
    if thread is None or not messages:
        return None
    greeting, parts = compose([m.body for m in messages], requester_first_name(ticket))
    authors: list[str] = []
    for m in messages:
        name = common.name_of(m.author) if m.author else sender()[0]
        if name not in authors:
            authors.append(name)
    context = {
        "greeting": greeting,
        "parts": parts,
        "authors": " & ".join(authors),
        "team": ticket.team.name if ticket.team else "",
        "site": sender()[0],
        "tag": f"[HD#{ticket.pk}]",
    }
    return {
        "to": thread.to,
        "cc": thread.cc,
        "from": formataddr((f"{authors[-1]} ({sender()[0]})", sender()[1])),
        "reply_to": _reply_to(),
        "subject": tagged_subject(ticket.pk, _re(thread.subject)),
        "text": render_to_string("notify/email/reply.txt", context),
        "html": render_to_string("notify/email/reply.html", context),
        "headers": _headers(thread, message_id),
        "messages": [m.pk for m in messages],
    }


def staff_payload(
    user: Any,
    subject: str,
    lines: list[str],
    *,
    link: str = "",
    link_label: str = "Open in HeroDesk",
    template: str = "notice",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A notice to a person of the desk (shift, hand-off, mention, …)."""
    context = {
        "first_name": common.first_name_of(user),
        "lines": lines,
        "link": link,
        "link_label": link_label,
        "site": sender()[0],
        **(extra or {}),
    }
    return {
        "to": [user.email],
        "from": settings.DEFAULT_FROM_EMAIL,
        "subject": subject,
        "text": render_to_string(f"notify/email/{template}.txt", context),
        "html": render_to_string(f"notify/email/{template}.html", context),
        "headers": {
            "Message-ID": new_message_id(),
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    }
