"""POST /hooks/slack: Slack's v0 signature with a 5-minute window; key team + event id."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime

from herodesk.intake.base import Envelope, Malformed, Unauthorized, Webhook
from herodesk.intake.signing import check_timestamp, header, hmac_sha256, json_object, same

WINDOW_SECONDS = 5 * 60
SIGNATURE = "X-Slack-Signature"
TIMESTAMP = "X-Slack-Request-Timestamp"


def verify(headers: Mapping[str, str], body: bytes, secret: str, now: datetime) -> None:
    stamp = header(headers, TIMESTAMP)
    given = header(headers, SIGNATURE)
    check_timestamp(stamp, now, WINDOW_SECONDS, TIMESTAMP)
    expected = "v0=" + hmac_sha256(secret, b"v0:", stamp.encode(), b":", body).hex()
    if not same(expected, given):
        raise Unauthorized(
            f"{SIGNATURE} does not match the body (check HERODESK_SLACK_SIGNING_SECRET)"
        )


def envelope(headers: Mapping[str, str], body: bytes) -> Envelope:
    data = json_object(body)
    kind = data.get("type")
    if kind == "url_verification":
        challenge = data.get("challenge")
        if not isinstance(challenge, str) or not challenge:
            raise Malformed("url_verification without a challenge")
        return Envelope(key="", event_type=kind, reply={"challenge": challenge})
    if not isinstance(kind, str) or not kind:
        raise Malformed("the payload has no type")
    team = str(data.get("team_id") or data.get("enterprise_id") or "")
    if kind != "event_callback":  # app_rate_limited and future envelope types
        return Envelope(key=f"{team}:{kind}:{hashlib.sha256(body).hexdigest()}", event_type=kind)
    event, event_id = data.get("event"), data.get("event_id")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise Malformed("event_callback without an event type")
    if not isinstance(event_id, str) or not event_id or not team:
        raise Malformed("event_callback without team_id or event_id")
    return Envelope(key=f"{team}:{event_id}", event_type=event["type"])


HOOK = Webhook(
    channel="slack",
    secret_setting="HERODESK_SLACK_SIGNING_SECRET",
    verify=verify,
    envelope=envelope,
    keep_headers=(
        "x-slack-signature",
        "x-slack-request-timestamp",
        "x-slack-retry-num",
        "x-slack-retry-reason",
    ),
)
