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


REPLY_KINDS = ("reply", "thread_reply", "github_comment")
STATES = {
    DeliveryStatus.PENDING: "queued",
    DeliveryStatus.SENDING: "queued",
    DeliveryStatus.SENT: "sent",
    DeliveryStatus.FAILED: "failed",
    DeliveryStatus.CANCELLED: "cancelled",
}


def _state(d: Delivery) -> dict[str, str]:
    state = STATES.get(DeliveryStatus(d.status), d.status)
    reason = ""
    if state == "failed":
        reason = d.last_error or "failed"
    elif state == "queued" and d.last_error:
        reason = f"retrying: {d.last_error}"
    return {"state": state, "transport": d.transport, "reason": reason[:500]}


def reply_deliveries(ticket_id: int, messages: list[Any]) -> dict[int, dict[str, str]]:
    """message id → its delivery state {state, transport, reason} for every public
    reply in `messages` (one query): queued, sent, failed (with the reason),
    cancelled; not_sent (kept on the ticket: T5, no address) or at_source
    (mirrored from Slack/GitHub, said there)."""
    rows = Delivery.objects.filter(ticket_id=ticket_id, kind__in=REPLY_KINDS).only(
        "status", "transport", "payload", "last_error"
    )
    carried: dict[int, Delivery] = {}
    for d in rows.order_by("id"):
        for pk in (d.payload or {}).get("messages") or []:
            carried[int(pk)] = d
    out: dict[int, dict[str, str]] = {}
    for m in messages:
        if m.kind != "public":
            continue
        route = (m.metadata or {}).get("answer") or {}
        if m.pk in carried:
            out[m.pk] = _state(carried[m.pk])
        elif (m.metadata or {}).get("mirrored_from") or route.get("transport") == "source":
            out[m.pk] = {"state": "at_source", "transport": "source", "reason": ""}
        else:
            why = route.get("where") if route.get("transport") == "none" else ""
            out[m.pk] = {
                "state": "not_sent",
                "transport": "none",
                "reason": why or "nothing was queued for delivery (no address to send to)",
            }
    return out
