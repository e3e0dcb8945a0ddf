"""Hand-off reports over the API: GET /api/v1/teams/{slug}/handoffs[/{id}]."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from herodesk.api import schemas as s
from herodesk.api.tickets import get_team
from herodesk.api.types import ID, MAX_ID
from herodesk.notify import common, queries
from herodesk.notify.models import HandoffReport
from herodesk.teams import access

router = Router(tags=["hand-offs"])
ERRORS: dict[int, type] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}


class NoteOut(Schema):
    body: str
    at: str | None = None


class HandoffItemOut(Schema):
    ticket: int
    subject: str
    tier: int
    status: str
    channel: str = ""
    assignee: str | None = Field(None, description="after the hand-off")
    previous_assignee: str | None = None
    moved: bool = Field(description="moved from the outgoing to the incoming hero")
    due_by: str | None = None
    url: str
    note: NoteOut | None = Field(None, description="the outgoing hero's latest internal note")


class HandoffOut(Schema):
    id: int
    team: str
    instant: str = Field(description="ISO 8601: when the hero changed")
    outgoing: str | None
    incoming: str | None
    items_count: int
    moved: int
    created_at: str
    url: str


class HandoffDetailOut(HandoffOut):
    items: list[HandoffItemOut]


class HandoffFilters(Schema):
    limit: int = Field(20, ge=1, le=100)
    before: int | None = Field(
        None, ge=1, le=MAX_ID, description="only reports with a smaller id (next page)"
    )


def handoff_out(report: HandoffReport, slug: str, *, items: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": report.pk,
        "team": slug,
        "instant": report.instant.isoformat(),
        "outgoing": report.outgoing_username or None,
        "incoming": report.incoming_username or None,
        "items_count": len(report.items),
        "moved": report.moved,
        "created_at": report.created_at.isoformat(),
        "url": common.handoff_url(slug, report.pk),
    }
    if items:
        out["items"] = report.items
    return out


@router.get("/teams/{slug}/handoffs", response={200: list[HandoffOut], **ERRORS})
def list_handoffs(request: HttpRequest, slug: str, filters: Query[HandoffFilters]) -> Any:
    """End-of-rotation hand-off reports of a team, newest first."""
    access.require_agent(request.user)
    team = get_team(slug)
    rows = queries.handoffs(team, limit=filters.limit, before=filters.before)
    return [handoff_out(r, slug) for r in rows]


@router.get("/teams/{slug}/handoffs/{report_id}", response={200: HandoffDetailOut, **ERRORS})
def handoff_detail(request: HttpRequest, slug: str, report_id: ID) -> Any:
    """One hand-off report with every item and the outgoing hero's notes."""
    access.require_agent(request.user)
    team = get_team(slug)
    return handoff_out(queries.handoff(team, report_id), slug, items=True)
