"""The ticket tag in mail subjects, "[HD#123]": outbound mail adds it, inbound mail reads it."""

from __future__ import annotations

import re

TAG_RE = re.compile(r"\[HD#(\d{1,12})\]", re.IGNORECASE)


def subject_tag(ticket_id: int) -> str:
    """The tag outbound mail puts in its subject so replies find the ticket."""
    return f"[HD#{ticket_id}]"


def tagged_subject(ticket_id: int, subject: str) -> str:
    """`subject` carrying the ticket's tag exactly once (for outbound mail)."""
    tag = subject_tag(ticket_id)
    return subject if tag.lower() in subject.lower() else f"{subject} {tag}".strip()


def strip_tag(subject: str) -> str:
    """The subject without any ticket tag, spaces collapsed."""
    return " ".join(TAG_RE.sub(" ", subject).split())


def tagged_ids(subject: str) -> list[int]:
    """Ticket ids tagged in a subject, in order."""
    return [int(m[1]) for m in TAG_RE.finditer(subject)]
