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


# What `ticket` reads, as values() names: `ticket_values` builds the same dict
# from such a row, without model instances (five a ticket with its relations).
TICKET_COLUMNS = (
    "id", "team", "team__slug", "tier", "status", "channel", "subject",
    "requester", "requester__email", "requester__name", "requester__organization",
    "requester__organization__name", "requester__organization__plan",
    "assignee", "assignee__username", "created_at", "updated_at", "solved_at",
    "external_ref", "external_url", "sla_kind", "great_by", "due_by", "late_after",
    "sla_paused_at", "first_response_at", "first_response_grade", "breached", "metadata",
)  # fmt: skip


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


def ticket_values(v: dict[str, Any]) -> dict[str, Any]:
    """`ticket` of a `values(*TICKET_COLUMNS)` row (the API's ticket lists: 50
    tickets with their relations as model instances cost ~7 ms more here)."""
    requester = None
    if v["requester"] is not None:
        org = v["requester__organization"] is not None
        requester = {
            "id": v["requester"],
            "email": v["requester__email"],
            "name": v["requester__name"],
            "organization": v["requester__organization__name"] if org else None,
            "plan": v["requester__organization__plan"] if org else None,
        }
    return {
        "id": v["id"],
        "team": v["team__slug"] if v["team"] else None,
        "tier": v["tier"],
        "tier_name": Tier(v["tier"]).slug,
        "status": v["status"],
        "channel": v["channel"],
        "subject": v["subject"],
        "requester": requester,
        "assignee": v["assignee__username"] if v["assignee"] else None,
        "created_at": iso(v["created_at"]),
        "updated_at": iso(v["updated_at"]),
        "solved_at": iso(v["solved_at"]),
        "external_ref": v["external_ref"],
        "external_url": v["external_url"],
        "sla": {
            "kind": v["sla_kind"] or None,
            "great_by": iso(v["great_by"]),
            "due_by": iso(v["due_by"]),
            "late_after": iso(v["late_after"]),
            "paused": v["sla_paused_at"] is not None,
            "first_response_at": iso(v["first_response_at"]),
            "first_response_grade": v["first_response_grade"] or None,
            "breached": v["breached"],
        },
        "metadata": v["metadata"],
    }
