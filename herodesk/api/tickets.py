"""Ticket endpoints: parse, check roles, call actions/queries, serialize."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer
from ninja.renderers import JSONRenderer

from herodesk.api import schemas as s
from herodesk.api import serialize
from herodesk.api.idempotency import idempotent
from herodesk.api.types import ID
from herodesk.customers.actions import requester_for
from herodesk.domain.tiers import TIER_MAX, TIER_MIN
from herodesk.lib import channels
from herodesk.lib.errors import Invalid, NotFound
from herodesk.lib.prepared import Prepared
from herodesk.notify import queries as notify_queries
from herodesk.teams import access
from herodesk.teams.models import Team
from herodesk.tickets import actions, queries, search, similar
from herodesk.tickets.actions import ticket_merge
from herodesk.tickets.models import Message, Status, Ticket

router = Router(tags=["tickets"])
_JSON = JSONRenderer()  # the API's renderer (NinjaAPI's default)
ERRORS: dict[int, type] = {
    400: s.Error,
    401: s.Error,
    403: s.Error,
    404: s.Error,
    409: s.Error,
    422: s.Error,
}


def get_ticket(pk: int, *, messages: bool = False) -> Ticket:
    qs = queries.with_related(Ticket.objects.filter(pk=pk))
    if messages:
        qs = qs.prefetch_related(
            Prefetch("messages", Message.objects.select_related("author", "requester"))
        )
    ticket = qs.first()
    if ticket is None:
        raise NotFound(f"ticket {pk} not found")
    return ticket


# Looked up on most API calls: compiled once (core/prepared.py).
_TEAM = Prepared(Team, lambda slug: Team.objects.filter(slug=slug)[:1])


def get_team(slug: str) -> Team:
    team = _TEAM.first(slug)
    if team is None:
        raise NotFound(f"team {slug!r} not found")
    return team


def get_user(username: str, field: str = "assignee") -> Any:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise Invalid(f"unknown user {username!r}", field=field)
    return user


class TicketFilters(Schema):
    team: str | None = Field(None, max_length=50)
    status: Status | None = None
    tier: int | None = Field(None, ge=TIER_MIN, le=TIER_MAX)
    channel: str | None = Field(None, max_length=16)
    assignee: str | None = Field(None, max_length=150)
    requester: str | None = Field(None, max_length=254)
    q: str | None = Field(None, max_length=200)
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)


def _decode_cursor(raw: str) -> tuple[datetime, int]:
    try:
        created, pk = queries.decode_cursor(raw).split("~")
        at, number = datetime.fromisoformat(created), int(pk)
    except ValueError:
        raise Invalid("cursor is not valid", field="cursor") from None
    if not queries.cursor_fits(number, at):
        raise Invalid("cursor is not valid", field="cursor")
    return at, number


def _filtered(f: TicketFilters) -> Any:
    qs = Ticket.objects.all()
    if f.team:
        qs = qs.filter(team=get_team(f.team))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.tier is not None:
        qs = qs.filter(tier=f.tier)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.assignee:
        qs = qs.filter(assignee__username=f.assignee)
    if f.requester:
        qs = qs.filter(requester__email__iexact=f.requester)
    return qs


@router.get("/tickets", response={200: s.TicketPage, **ERRORS})
def list_tickets(request: HttpRequest, filters: Query[TicketFilters]) -> Any:
    """Tickets, newest first, with filters and cursor pagination.

    `q` searches the full-text index with the desk's query language (words,
    "phrases", -exclusions, team:/status:/tier:/channel:/from:/org:/before:/
    after: filters, #123; docs/search.md), still newest first."""
    access.require_agent(request.user)
    qs = _filtered(filters)
    if filters.q:
        found = search.search(
            filters.q, within=qs, order="newest", cursor=filters.cursor or "",
            limit=filters.limit, snippets=False, columns=serialize.TICKET_COLUMNS, values=True,
        )  # fmt: skip
        return _ticket_page(request, found.rows, found.next_cursor)
    if filters.cursor:
        created, pk = _decode_cursor(filters.cursor)
        qs = qs.filter(Q(created_at__lt=created) | Q(created_at=created, id__lt=pk))
    rows = qs.values(*serialize.TICKET_COLUMNS).order_by("-created_at", "-id")
    rows = list(rows[: filters.limit + 1])
    nxt = None
    if len(rows) > filters.limit:
        last = rows[filters.limit - 1]
        nxt = queries.encode_cursor(f"{last['created_at'].isoformat()}~{last['id']}")
    return _ticket_page(request, rows[: filters.limit], nxt)


def _ticket_page(request: HttpRequest, rows: list[Any], nxt: str | None) -> HttpResponse:
    """A TicketPage, rendered as ninja renders an operation's answer (into its
    temporal response, `request.ninja_response`, with the API's JSON renderer).

    `serialize.ticket_values` builds TicketOut's shape already (a test holds
    them together); ninja's validating the dicts against the schema and dumping them
    again cost a quarter of a 50-ticket list's CPU, for the same bytes."""
    data = {"items": [serialize.ticket_values(t) for t in rows], "next_cursor": nxt}
    response: HttpResponse = request.ninja_response  # type: ignore[attr-defined]
    response.content = _JSON.render(request, data, response_status=200)
    return response


@router.post("/tickets", response={201: s.TicketOut, **ERRORS})
@idempotent(limit=lambda: settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
def create_ticket(request: HttpRequest, payload: s.TicketIn) -> Any:
    """Open a ticket in one of your teams (admins: any), or with no team to let
    the routing rules decide. `created_at` is honoured for admins only.

    Send an `Idempotency-Key` header to make a retry safe: the same key and
    body within 24 hours answers the first response again and creates nothing.
    """
    access.require_agent(request.user)
    if payload.channel not in channels.names():
        raise Invalid(f"channel must be one of {', '.join(channels.names())}", field="channel")
    team = None
    if payload.team:
        try:
            team = get_team(payload.team)
        except NotFound:
            raise Invalid(f"unknown team {payload.team!r}", field="team") from None
        access.require_ticket_open(request.user, team)
    created_at = payload.created_at if access.is_admin(request.user) else None
    if created_at is not None and timezone.is_naive(created_at):
        raise Invalid("created_at must include a UTC offset", field="created_at")
    requester = None
    if payload.requester and (payload.requester.email or payload.requester.name):
        requester = requester_for(
            email=payload.requester.email,
            name=payload.requester.name,
            organization=payload.requester.organization,
        )
    ticket = actions.ticket_create(
        subject=payload.subject,
        body=payload.body,
        actor=request.user,
        channel=payload.channel,
        team=team,
        requester=requester,
        tier=payload.tier,
        created_at=created_at,
        assignee=get_user(payload.assignee) if payload.assignee else None,
        external_ref=payload.external_ref,
        external_url=payload.external_url,
        metadata=payload.metadata,
    )
    # The action returns the row with its team, requester and assignee loaded:
    # serialize it as is instead of reading it back.
    return Answer(201, serialize.ticket(ticket))


@router.get("/tickets/{ticket_id}", response={200: s.TicketDetailOut, **ERRORS})
def ticket_detail(request: HttpRequest, ticket_id: ID) -> Any:
    access.require_agent(request.user)
    ticket = get_ticket(ticket_id, messages=True)
    data = serialize.ticket(ticket)
    messages = list(ticket.messages.all())
    states = notify_queries.reply_deliveries(ticket.pk, messages)
    data["messages"] = [{**serialize.message(m), "delivery": states.get(m.pk)} for m in messages]
    data["source"] = serialize.source(ticket)
    return data


class SimilarParams(Schema):
    limit: int = Field(similar.RESULTS, ge=1, le=similar.POOL)


@router.get("/tickets/{ticket_id}/similar", response={200: s.SimilarOut, **ERRORS})
def similar_tickets(request: HttpRequest, ticket_id: ID, params: Query[SimilarParams]) -> Any:
    """Solved tickets whose subject and text best match this ticket's subject
    and first message, best first, each with the public reply that solved it
    (to reuse as a draft: nothing is sent). Readable by every agent, like the
    ticket. `terms` are the words the match used; see docs/search.md."""
    access.require_agent(request.user)
    found = similar.similar_to(get_ticket(ticket_id), limit=params.limit)
    return {
        "terms": list(found.terms),
        "common": list(found.common),
        "items": [serialize.similar(x) for x in found.suggestions],
    }


def _writable(request: HttpRequest, ticket_id: ID) -> Ticket:
    ticket = get_ticket(ticket_id)
    access.require_ticket_write(request.user, ticket)
    return ticket


@router.post("/tickets/{ticket_id}/replies", response={201: s.TicketDetailOut, **ERRORS})
def reply(request: HttpRequest, ticket_id: ID, payload: s.ReplyIn) -> Any:
    """A public reply, sent the way the ticket's channel answers (email, Slack
    thread, GitHub comment); grades the response on the first one. 409 when the
    channel is answered elsewhere (community page, GitHub without a token, an
    alert with no requester): the message says where. Each message's `delivery`
    says queued, sent or failed (with the reason). `created_at` is honoured for
    admins only (loading history); others get now."""
    ticket = _writable(request, ticket_id)
    at = _backdated(request, ticket, payload.created_at)
    actions.ticket_reply(
        ticket, author=request.user, body=payload.body, status=payload.status, at=at
    )
    return Answer(201, ticket_detail(request, ticket_id))


def _backdated(request: HttpRequest, ticket: Ticket, at: datetime | None) -> datetime | None:
    """An admin's `created_at` for a reply, note or status change, checked; None otherwise."""
    if at is None or not access.is_admin(request.user):
        return None
    if timezone.is_naive(at):
        raise Invalid("created_at must include a UTC offset", field="created_at")
    if at < ticket.created_at:
        raise Invalid("created_at is before the ticket arrived", field="created_at")
    if at > timezone.now():
        raise Invalid("created_at is in the future", field="created_at")
    return at


@router.post("/tickets/{ticket_id}/notes", response={201: s.TicketDetailOut, **ERRORS})
def note(request: HttpRequest, ticket_id: ID, payload: s.BodyIn) -> Any:
    ticket = _writable(request, ticket_id)
    at = _backdated(request, ticket, payload.created_at)
    actions.ticket_note(ticket, author=request.user, body=payload.body, at=at)
    return Answer(201, ticket_detail(request, ticket_id))


@router.post("/tickets/{ticket_id}/status", response={200: s.TicketOut, **ERRORS})
def set_status(request: HttpRequest, ticket_id: ID, payload: s.StatusIn) -> Any:
    ticket = _writable(request, ticket_id)
    at = _backdated(request, ticket, payload.created_at)
    actions.ticket_set_status(ticket, payload.status, actor=request.user, at=at)
    return serialize.ticket(get_ticket(ticket_id))


@router.post("/tickets/{ticket_id}/answered", response={200: s.TicketOut, **ERRORS})
def mark_answered(request: HttpRequest, ticket_id: int) -> Any:
    """Answered at the source (GitHub without a token, a community question):
    a note says so and the ticket is solved. 409 when the desk can reply itself."""
    ticket = _writable(request, ticket_id)
    actions.ticket_mark_answered(ticket, actor=request.user)
    return serialize.ticket(get_ticket(ticket_id))


@router.post("/tickets/{ticket_id}/assign", response={200: s.TicketOut, **ERRORS})
def assign(request: HttpRequest, ticket_id: ID, payload: s.AssignIn) -> Any:
    """Assign to a username (yourself to claim) or unassign with null."""
    ticket = _writable(request, ticket_id)
    assignee = get_user(payload.assignee) if payload.assignee else None
    actions.ticket_assign(ticket, assignee, actor=request.user, note=payload.note)
    return serialize.ticket(get_ticket(ticket_id))


@router.post("/tickets/{ticket_id}/tier", response={200: s.TicketOut, **ERRORS})
def set_tier(request: HttpRequest, ticket_id: ID, payload: s.TierIn) -> Any:
    ticket = _writable(request, ticket_id)
    actions.ticket_set_tier(ticket, payload.tier, actor=request.user)
    return serialize.ticket(get_ticket(ticket_id))


class QueueParams(Schema):
    team: str | None = Field(None, max_length=50)
    view: Literal["team", "mine", "unassigned", "breaching", "pending"] = "team"
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)
    unrouted: bool = False


@router.get("/queue", response={200: s.TicketPage, **ERRORS})
def queue(request: HttpRequest, params: Query[QueueParams]) -> Any:
    """A team's queue: tier → due time → age. Views: team, mine (the team's; every
    team's without `team`), unassigned, breaching (due soon), overdue, pending."""
    access.require_agent(request.user)
    team = None
    if params.view != "mine" and not params.unrouted:
        if not params.team:
            raise Invalid("team is required (or unrouted=true, or view=mine)", field="team")
        team = get_team(params.team)
    rows, nxt = queries.queue(
        view=params.view,
        team=team,
        user=request.user,
        limit=params.limit,
        cursor=params.cursor,
        unrouted=params.unrouted,
    )
    return {"items": [serialize.ticket(t) for t in rows], "next_cursor": nxt}


@router.post("/tickets/{ticket_id}/merge", response={200: s.TicketDetailOut, **ERRORS})
def merge(request: HttpRequest, ticket_id: ID, payload: s.MergeIn) -> Any:
    """Merge this ticket (a duplicate) into `into`; answers with the surviving ticket."""
    duplicate = _writable(request, ticket_id)
    try:
        into = get_ticket(payload.into)
    except NotFound:
        raise Invalid(f"ticket {payload.into} not found", field="into") from None
    access.require_ticket_write(request.user, into)
    survivor = ticket_merge(duplicate, into, actor=request.user)
    return ticket_detail(request, survivor.pk)
