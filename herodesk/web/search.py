"""Reads for the desk pages: queue filters, full-text search, unrouted counts.

Search is word-wise: every word (or "quoted phrase") must appear in the
subject, the requester (name, email), the organization or any message of the
ticket (requester messages, replies and notes). `#123` finds ticket 123.
It runs the same on SQLite and PostgreSQL (case-insensitive LIKE, an EXISTS
per word), which is quick enough for a desk's tens of thousands of tickets.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from herodesk.domain.tiers import TIER_RANGE, parse_tier
from herodesk.lib import channels
from herodesk.lib.errors import Invalid
from herodesk.tickets import queries
from herodesk.tickets.models import Message, Status, Ticket

MAX_TERMS = 8
MAX_QUERY = 200


def terms_of(text: str) -> list[str]:
    text = (text or "").strip()[:MAX_QUERY]
    try:
        words = shlex.split(text)
    except ValueError:  # an unbalanced quote: take the words as they are
        words = text.replace('"', " ").split()
    return [w for w in words if w.strip()][:MAX_TERMS]


def text_query(text: str) -> Q | None:
    """A condition matching tickets that contain every word of `text`."""
    terms = terms_of(text)
    if not terms:
        return None
    condition = Q()
    for term in terms:
        if term.startswith("#") and term[1:].isdigit() and len(term) < 19:
            condition &= Q(pk=int(term[1:]))
            continue
        in_messages = Exists(Message.objects.filter(ticket=OuterRef("pk"), body__icontains=term))
        condition &= Q(
            Q(subject__icontains=term)
            | Q(requester__name__icontains=term)
            | Q(requester__email__icontains=term)
            | Q(requester__organization__name__icontains=term)
            | Q(external_ref=term)
            | in_messages
        )
    return condition


@dataclass
class QueueFilters:
    tiers: list[int] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    q: str = ""

    @classmethod
    def parse(cls, params: Any) -> QueueFilters:
        tiers = []
        for raw in params.getlist("tier"):
            if raw == "":
                continue
            tier = parse_tier(raw)
            if tier is None:
                raise Invalid(f"tier must be {TIER_RANGE}, got {raw!r}", field="tier")
            tiers.append(int(tier))
        wanted = [c for c in params.getlist("channel") if c != ""]
        for c in wanted:
            if c not in channels.names():
                raise Invalid(f"unknown channel {c!r}", field="channel")
        return cls(sorted(set(tiers)), sorted(set(wanted)), (params.get("q") or "").strip())

    def where(self) -> Q | None:
        condition = Q()
        if self.tiers:
            condition &= Q(tier__in=self.tiers)
        if self.channels:
            condition &= Q(channel__in=self.channels)
        text = text_query(self.q)
        if text is not None:
            condition &= text
        return condition if condition else None

    @property
    def active(self) -> bool:
        return bool(self.tiers or self.channels or self.q)

    def query_string(self, **extra: Any) -> str:
        pairs: list[tuple[str, Any]] = [("tier", t) for t in self.tiers]
        pairs += [("channel", c) for c in self.channels]
        if self.q:
            pairs.append(("q", self.q))
        pairs += [(k, v) for k, v in extra.items() if v not in (None, "")]
        return urlencode(pairs)


def unrouted_counts(user: Any, now: datetime) -> dict[str, int]:
    """queue_counts for tickets no routing rule matched (one query)."""
    window = now + timedelta(minutes=settings.HERODESK_BREACHING_SOON_MINUTES)
    active = Q(team_id__isnull=True, is_active=True)
    return Ticket.objects.aggregate(
        team=Count("id", filter=active),
        unassigned=Count("id", filter=active & Q(assignee__isnull=True)),
        breaching=Count("id", filter=active & Q(sort_due__gt=now, sort_due__lte=window)),
        overdue=Count("id", filter=active & Q(sort_due__lte=now)),
        pending=Count("id", filter=Q(team_id__isnull=True, status=Status.PENDING)),
        mine=Count(
            "id",
            filter=Q(
                team_id__isnull=True,
                assignee_id=user.pk,
                status__in=(Status.NEW, Status.OPEN, Status.PENDING),
            ),
        ),
    )


def search_tickets(
    text: str, *, team: Any = None, status: str = "", cursor: str = "", limit: int = 50
) -> tuple[list[Ticket], str | None]:
    """Tickets of any status matching `text`, newest first (cursor paginated)."""
    condition = text_query(text)
    if condition is None:
        return [], None
    qs: QuerySet[Ticket] = Ticket.objects.filter(condition)
    if team is not None:
        qs = qs.filter(team=team)
    if status:
        if status not in Status.values:
            raise Invalid(f"status must be one of {', '.join(Status.values)}", field="status")
        qs = qs.filter(status=status)
    if cursor:
        try:
            created, pk = queries.decode_cursor(cursor).split("~")
            at = datetime.fromisoformat(created)
            qs = qs.filter(Q(created_at__lt=at) | Q(created_at=at, id__lt=int(pk)))
        except ValueError:
            raise Invalid("cursor is not valid", field="cursor") from None
    rows = list(queries.with_related(qs).order_by("-created_at", "-id")[: limit + 1])
    nxt = None
    if len(rows) > limit:
        last = rows[limit - 1]
        nxt = queries.encode_cursor(f"{last.created_at.isoformat()}~{last.pk}")
    return rows[:limit], nxt
