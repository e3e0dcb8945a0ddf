"""Reads for the desk pages: queue filters, the search page, unrouted counts.

The text (the query language of docs/search.md: words, "phrases",
-exclusions, field:value filters, #123) goes to `tickets.search`, the one
search function the API uses too; this module only reads the pages' own
parameters (tier and channel boxes, team and status selects).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q

from herodesk.domain.tiers import TIER_RANGE, parse_tier
from herodesk.lib import channels
from herodesk.lib.errors import Invalid
from herodesk.tickets import search
from herodesk.tickets.models import Status, Ticket
from herodesk.web import rows

RANK_WINDOW = search.RANK_WINDOW
# What the search page shows of each ticket (web/rows.search_row): loading the
# other 30 columns and the assignee took half the search function's time, and
# model instances (ticket, team, requester, organization) half of the rest.
PAGE_COLUMNS = rows.SEARCH_ROW_FIELDS


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
        text = search.condition(self.q)
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
) -> search.SearchPage:
    """The search page: tickets of any status matching `text`, best first."""
    qs = Ticket.objects.all()
    if team is not None:
        qs = qs.filter(team=team)
    if status:
        if status not in Status.values:
            raise Invalid(f"status must be one of {', '.join(Status.values)}", field="status")
        qs = qs.filter(status=status)
    found = search.search(
        text, within=qs, cursor=cursor, limit=limit, columns=PAGE_COLUMNS, values=True
    )
    found.rows = [rows.SearchRow.of(v) for v in found.rows]
    return found
