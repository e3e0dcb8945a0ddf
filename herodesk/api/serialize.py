"""Model → JSON-ready dicts (plain functions: cheap on the queue's hot path)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from herodesk.domain.sources import describe
from herodesk.domain.tiers import Tier
from herodesk.tickets.answer import answer_for
from herodesk.tickets.models import Message, Ticket
from herodesk.tickets.similar import Suggestion


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def requester(ticket: Ticket) -> dict[str, Any] | None:
    r = ticket.requester
    if r is None:
        return None
    org = r.organization
    return {
        "id": r.pk,
        "email": r.email,
        "name": r.name,
        "organization": org.name if org else None,
        "plan": org.plan if org else None,
    }


def ticket(t: Ticket) -> dict[str, Any]:
    return {
        "id": t.pk,
        "team": t.team.slug if t.team_id and t.team else None,
        "tier": t.tier,
        "tier_name": Tier(t.tier).slug,
        "status": t.status,
        "channel": t.channel,
        "subject": t.subject,
        "requester": requester(t),
        "assignee": t.assignee.get_username() if t.assignee_id and t.assignee else None,
        "created_at": iso(t.created_at),
        "updated_at": iso(t.updated_at),
        "solved_at": iso(t.solved_at),
        "external_ref": t.external_ref,
        "external_url": t.external_url,
        "sla": {
            "kind": t.sla_kind or None,
            "great_by": iso(t.great_by),
            "due_by": iso(t.due_by),
            "late_after": iso(t.late_after),
            "paused": t.sla_paused_at is not None,
            "first_response_at": iso(t.first_response_at),
            "first_response_grade": t.first_response_grade or None,
            "breached": t.breached,
        },
        "metadata": t.metadata,
    }


def message(m: Message) -> dict[str, Any]:
    author = None
    if m.author_id and m.author:
        author = m.author.get_username()
    elif m.requester_id and m.requester:
        author = m.requester.email or m.requester.name
    return {
        "id": m.pk,
        "kind": m.kind,
        "author": author,
        "body": m.body,
        "body_html": m.body_html,
        "created_at": iso(m.created_at),
        "metadata": m.metadata,
    }


def similar(x: Suggestion) -> dict[str, Any]:
    """One similar solved ticket and its answer."""
    t, m = x.ticket, x.answer
    return {
        "id": t.pk,
        "subject": t.subject,
        "status": t.status,
        "team": t.team.slug if t.team_id and t.team else None,
        "solved_at": iso(t.solved_at or t.closed_at),
        "score": round(x.score, 4),
        "answer": {
            "id": m.pk,
            "author": m.author.get_username() if m.author_id and m.author else None,
            "body": m.body,
            "created_at": iso(m.created_at),
        },
    }


def source(t: Ticket) -> dict[str, Any]:
    """Where the ticket came from, and where a public reply on it goes."""
    out = describe(t.channel, t.subject, t.external_url, t.metadata)
    answer = answer_for(t)
    out["answer"] = {**asdict(answer), "transport": str(answer.transport)}
    return out
