"""Pydantic schemas of the REST API (they are the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import EmailStr

from herodesk.domain.tiers import TIER_MAX, TIER_MIN


class Error(Schema):
    detail: str
    field: str | None = None


class RequesterOut(Schema):
    id: int
    email: str | None
    name: str
    organization: str | None
    plan: str | None


class SlaOut(Schema):
    kind: str | None = Field(None, description="first_response, next_reply or null")
    great_by: str | None = Field(None, description="ISO 8601 with offset")
    due_by: str | None = None
    late_after: str | None = None
    paused: bool = False
    first_response_at: str | None = None
    first_response_grade: str | None = None
    breached: bool = False


class TicketOut(Schema):
    id: int
    team: str | None
    tier: int
    tier_name: str
    status: str
    channel: str
    subject: str
    requester: RequesterOut | None
    assignee: str | None
    created_at: str
    updated_at: str
    solved_at: str | None
    external_ref: str
    external_url: str
    sla: SlaOut
    metadata: dict[str, Any]


class MessageOut(Schema):
    id: int
    kind: str
    author: str | None
    body: str
    body_html: str
    created_at: str
    metadata: dict[str, Any]


class TicketDetailOut(TicketOut):
    messages: list[MessageOut]


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None


class RequesterIn(Schema):
    email: EmailStr | None = None
    name: str = ""
    organization: str | None = Field(None, description="organization name or external id")


class TicketIn(Schema):
    subject: str = Field(..., min_length=1, max_length=300)
    body: str = Field(..., min_length=1)
    team: str | None = Field(None, description="team slug; omitted → routing rules / unrouted")
    channel: str = "api"
    requester: RequesterIn | None = None
    tier: int | None = Field(None, ge=TIER_MIN, le=TIER_MAX)
    assignee: str | None = None
    created_at: datetime | None = Field(None, description="admins only (imports, backfills)")
    external_ref: str = ""
    external_url: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)


class BodyIn(Schema):
    body: str = Field(..., min_length=1)
    created_at: datetime | None = Field(
        None, description="admins only: when it happened (imports, backfills); others get now"
    )


class ReplyIn(BodyIn):
    status: str | None = Field(None, description="set this status after replying")


class StatusIn(Schema):
    status: str
    created_at: datetime | None = Field(
        None, description="admins only: when it happened (imports, backfills); others get now"
    )


class AssignIn(Schema):
    assignee: str | None = Field(None, description="username; null unassigns")
    note: str = ""


class MergeIn(Schema):
    into: int = Field(..., description="id of the ticket that survives")


class TierIn(Schema):
    tier: int = Field(..., ge=TIER_MIN, le=TIER_MAX)


class SupportHours(Schema):
    time_zone: str
    hours: dict[str, list[list[str]]]
    holiday_country: str | None = None
    holiday_subdivision: str | None = None


class TeamOut(Schema):
    slug: str
    name: str
    aliases: list[str]
    support_hours: SupportHours
    sla_targets: dict[str, dict[str, int]]
    slack_channel: str
    members: list[str]
    leads: list[str]
    clocks_recomputed: int | None = Field(
        None, description="PATCH only: running response clocks whose due times moved"
    )


class SupportHoursPatch(Schema):
    time_zone: str | None = None
    hours: dict[str, list[list[str]]] | None = None
    holiday_country: str | None = None
    holiday_subdivision: str | None = None


class TeamPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    aliases: list[str] | None = None
    support_hours: SupportHoursPatch | None = None
    sla_targets: dict[str, dict[str, int]] | None = None
    slack_channel: str | None = None


class MeOut(Schema):
    username: str
    name: str
    email: str
    is_admin: bool
    teams: list[str]
    lead_of: list[str]
    time_zone: str | None
