"""Pydantic schemas of the REST API (they are the OpenAPI document)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from pydantic import EmailStr

from herodesk.api.types import In, Instant, Int, RefId
from herodesk.domain.tiers import TIER_MAX, TIER_MIN
from herodesk.lib import channels
from herodesk.tickets.models import Status

MAX_TEXT = 100_000  # characters in a message body


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
    delivery: dict[str, str] | None = Field(
        None,
        description="public replies: {state: queued|sent|failed|cancelled|not_sent|at_source, "
        "transport: email|slack|github|none|source, reason}",
    )


class TicketDetailOut(TicketOut):
    messages: list[MessageOut]
    source: dict[str, Any] = Field(
        default_factory=dict,
        description="where the ticket came from: {channel, label, url, title, facts, …} and "
        "`answer`: where a public reply goes (or why it is refused)",
    )


class SimilarAnswerOut(Schema):
    id: int
    author: str | None = Field(None, description="username of the hero who wrote it")
    body: str
    created_at: str


class SimilarTicketOut(Schema):
    id: int
    subject: str
    status: str
    team: str | None
    solved_at: str | None = Field(None, description="when it was solved (closed, if never)")
    score: float = Field(
        ..., description="relevance, higher is better; comparable within one answer"
    )
    answer: SimilarAnswerOut = Field(
        ..., description="the last public reply at or before it was solved"
    )


class SimilarOut(Schema):
    terms: list[str] = Field(..., description="the words the match used, rarest first")
    common: list[str] = Field(
        ..., description="significant words left out: too many tickets have them"
    )
    items: list[SimilarTicketOut]


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None


def _channel_enum(schema: dict[str, Any]) -> None:
    schema["enum"] = channels.names()


class RequesterIn(In):
    email: EmailStr | None = None
    name: str = Field("", max_length=200)
    organization: str | None = Field(
        None, max_length=200, description="organization name or external id"
    )


class TicketIn(In):
    subject: str = Field(..., min_length=1, max_length=300)
    body: str = Field(..., min_length=1, max_length=MAX_TEXT)
    team: str | None = Field(
        None, max_length=50, description="team slug; omitted → routing rules / unrouted"
    )
    channel: str = Field("api", json_schema_extra=_channel_enum)
    requester: RequesterIn | None = None
    tier: Int | None = Field(None, ge=TIER_MIN, le=TIER_MAX)
    assignee: str | None = Field(None, max_length=150)
    created_at: Instant | None = Field(None, description="admins only (imports, backfills)")
    external_ref: str = Field("", max_length=255)
    external_url: str = Field("", max_length=500)
    metadata: dict[str, Any] = Field(default_factory=dict)


class BodyIn(In):
    body: str = Field(..., min_length=1, max_length=MAX_TEXT)
    created_at: Instant | None = Field(
        None, description="admins only: when it happened (imports, backfills); others get now"
    )


class ReplyIn(BodyIn):
    status: Status | None = Field(None, description="set this status after replying")


class StatusIn(In):
    status: Status
    created_at: Instant | None = Field(
        None, description="admins only: when it happened (imports, backfills); others get now"
    )


class AssignIn(In):
    assignee: str | None = Field(None, max_length=150, description="username; null unassigns")
    note: str = Field("", max_length=MAX_TEXT)


class MergeIn(In):
    into: RefId = Field(..., description="id of the ticket that survives")


class TierIn(In):
    tier: Int = Field(..., ge=TIER_MIN, le=TIER_MAX)


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
    email: str = ""
    auto_close_days: int | None = None
    archived: bool = False
    members: list[str]
    leads: list[str]
    clocks_recomputed: int | None = Field(
        None, description="PATCH only: running response clocks whose due times moved"
    )


class TeamIn(In):
    slug: str = Field(..., min_length=1, max_length=50, description="a-z, 0-9 and dashes")
    name: str = Field(..., min_length=1, max_length=120)
    time_zone: str = Field("Europe/London", max_length=64)
    hours: dict[str, list[list[str]]] | None = None
    holiday_country: str = Field("", max_length=8)
    holiday_subdivision: str = Field("", max_length=16)


class SupportHoursPatch(In):
    time_zone: str | None = None
    hours: dict[str, list[list[str]]] | None = None
    holiday_country: str | None = None
    holiday_subdivision: str | None = None


class TeamPatch(In):
    name: str | None = Field(None, min_length=1, max_length=120)
    aliases: list[str] | None = None
    support_hours: SupportHoursPatch | None = None
    sla_targets: dict[str, dict[str, Int]] | None = None
    slack_channel: str | None = Field(None, max_length=80)
    email: str | None = Field(None, max_length=254)
    auto_close_days: Int | None = Field(None, ge=0, le=365, description="0: off")
    archived: bool | None = Field(None, description="admins only")


class MeOut(Schema):
    username: str
    name: str
    email: str
    is_admin: bool
    teams: list[str]
    lead_of: list[str]
    time_zone: str | None
