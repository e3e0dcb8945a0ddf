"""Where a public reply on this ticket goes (the channel's answer path, read
from the channel registry, decided by domain.answer_paths)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from herodesk.domain.answer_paths import Answer, AnswerPath, Facts, decide
from herodesk.lib import channels
from herodesk.tickets.models import Ticket


def _slack_thread(ticket: Ticket) -> bool:
    info = (ticket.metadata or {}).get("slack") or {}
    return isinstance(info, dict) and bool(info.get("channel") and info.get("thread_ts"))


def _github_issue(ticket: Ticket) -> bool:
    info = (ticket.metadata or {}).get("github") or {}
    return isinstance(info, dict) and bool(info.get("repository") and info.get("number"))


def source_url(ticket: Ticket) -> str:
    url = ticket.external_url or ""
    meta = ticket.metadata if isinstance(ticket.metadata, dict) else {}
    for key in ("github", "community"):
        part = meta.get(key)
        if not url and isinstance(part, dict):
            url = str(part.get("url") or "")
    return url if url.startswith(("https://", "http://")) else ""


def answer_for(ticket: Ticket) -> Answer:
    """What a public reply on `ticket` does: delivered how, or refused and why."""
    path = channels.answer_path(ticket.channel)
    requester: Any = ticket.requester if ticket.requester_id else None
    return decide(
        Facts(
            path=path,
            tier=int(ticket.tier),
            requester_email=(requester.email or "") if requester is not None else "",
            slack_thread=_slack_thread(ticket),
            slack_enabled=bool(settings.HERODESK_SLACK_BOT_TOKEN),
            github_token=bool(settings.HERODESK_GITHUB_TOKEN)
            and (path != AnswerPath.GITHUB_COMMENT or _github_issue(ticket)),
            source_url=source_url(ticket),
        )
    )
