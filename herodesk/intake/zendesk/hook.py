"""POST /hooks/zendesk: base64 HMAC-SHA256 of timestamp + body; key ticket id + update time.

Two payload shapes are accepted: Zendesk's event subscriptions
(`"type": "zen:event-type:ticket.…"`, ticket in `detail`) and the trigger /
automation template documented in docs/channels/zendesk.md (`{"ticket": {…}}`).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from herodesk.intake.base import Envelope, Malformed, Unauthorized, Webhook
from herodesk.intake.signing import header, hmac_sha256, json_object, same

SIGNATURE = "X-Zendesk-Webhook-Signature"
TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp"
WINDOW_SECONDS = 60 * 60  # Zendesk retries failed deliveries; older than this is stale
EVENT_PREFIX = "zen:event-type:"


def verify(headers: Mapping[str, str], body: bytes, secret: str, now: datetime) -> None:
    stamp = header(headers, TIMESTAMP)
    given = header(headers, SIGNATURE)
    when = parse_datetime(stamp)
    if when is None or when.tzinfo is None:
        raise Unauthorized(f"{TIMESTAMP} is not an ISO 8601 time with a zone")
    skew = (now - when).total_seconds()
    if abs(skew) > WINDOW_SECONDS:
        raise Unauthorized(
            f"stale request: {TIMESTAMP} is {abs(int(skew))} s "
            f"{'old' if skew > 0 else 'in the future'} (allowed: {WINDOW_SECONDS} s)"
        )
    expected = base64.b64encode(hmac_sha256(secret, stamp.encode(), body)).decode()
    if not same(expected, given):
        raise Unauthorized(f"{SIGNATURE} does not match the body (check HERODESK_ZENDESK_SECRET)")


def ticket_of(payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(event type, ticket fields) for either payload shape."""
    kind = payload.get("type")
    if isinstance(kind, str) and kind.startswith(EVENT_PREFIX):
        detail = payload.get("detail")
        if not isinstance(detail, dict):
            raise Malformed("event without a detail object")
        return kind[len(EVENT_PREFIX) :], detail
    ticket = payload.get("ticket")
    if isinstance(ticket, dict):
        event = str(payload.get("event") or "ticket.updated").strip().lower()
        return event if event.startswith("ticket.") else f"ticket.{event}", ticket
    raise Malformed('expected a Zendesk event (type zen:event-type:…) or a {"ticket": …} body')


def envelope(headers: Mapping[str, str], body: bytes) -> Envelope:
    event_type, ticket = ticket_of(json_object(body))
    ticket_id = ticket.get("id")
    if not isinstance(ticket_id, str | int) or isinstance(ticket_id, bool) or not str(ticket_id):
        raise Malformed("the ticket has no id")
    updated = str(ticket.get("updated_at") or "")
    if not updated:
        raise Malformed("the ticket has no updated_at")
    return Envelope(key=f"{ticket_id}:{updated}:{event_type}", event_type=event_type)


HOOK = Webhook(
    channel="zendesk",
    secret_setting="HERODESK_ZENDESK_SECRET",
    verify=verify,
    envelope=envelope,
    keep_headers=(
        "x-zendesk-webhook-id",
        "x-zendesk-webhook-invocation-id",
        SIGNATURE.lower(),
        TIMESTAMP.lower(),
    ),
)
