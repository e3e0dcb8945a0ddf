"""Reads: hand-off reports and the outbox (what `herodesk jobs` shows of deliveries)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from herodesk.lib.errors import Invalid, NotFound
from herodesk.notify.models import Delivery, DeliveryStatus, HandoffReport

MAX_LIMIT = 100


def handoffs(team: Any, *, limit: int = 20, before: int | None = None) -> list[HandoffReport]:
    """A team's hand-off reports, newest first (keyset on id via `before`)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    qs = HandoffReport.objects.filter(team=team).select_related("outgoing", "incoming")
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return list(qs.order_by("-instant", "-id")[:limit])


def handoff(team: Any, report_id: int) -> HandoffReport:
    report = (
        HandoffReport.objects.select_related("team", "outgoing", "incoming")
        .filter(team=team, pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound(f"hand-off report {report_id} of {team.name} not found")
    return report


def attention(limit: int = 50) -> QuerySet[Delivery]:
    """Deliveries that failed or are waiting to retry, newest activity first."""
    return Delivery.objects.filter(
        Q(status=DeliveryStatus.FAILED)
        | Q(status=DeliveryStatus.PENDING, attempts__gt=0)
        | Q(status=DeliveryStatus.SENDING)
    ).order_by("-next_attempt_at", "-id")[:limit]


def delivery_counts() -> dict[str, int]:
    rows = Delivery.objects.values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}
