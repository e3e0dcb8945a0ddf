"""POST /hooks/sentry: Sentry-Hook-Signature (HMAC-SHA256 hex of the body with the
integration's client secret) and Sentry-Hook-Timestamp within ±5 minutes.

The idempotency key is Sentry's per-delivery `Request-ID` ("request:<id>"): a
retry of one delivery repeats it, while an issue resolved, reopened and
resolved again sends three deliveries with three ids (keying on resource +
action + issue id dropped the second resolve). Without a Request-ID the key
is resource + action + the SHA-256 of the timestamp and body."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from herodesk.intake.base import Envelope, Malformed, Unauthorized, Webhook
from herodesk.intake.signing import check_timestamp, header, hmac_sha256, json_object, same

SIGNATURE = "Sentry-Hook-Signature"
RESOURCE = "Sentry-Hook-Resource"
TIMESTAMP = "Sentry-Hook-Timestamp"
REQUEST_ID = "Request-ID"
WINDOW_SECONDS = 300
# Where each resource keeps the id of the object the delivery is about.
OBJECT_IDS: dict[str, tuple[str, ...]] = {
    "issue": ("issue", "id"),
    "event_alert": ("event", "event_id"),
    "metric_alert": ("metric_alert", "id"),
    "error": ("error", "event_id"),
    "comment": ("comment_id",),
    "installation": ("installation", "uuid"),
}


def verify(headers: Mapping[str, str], body: bytes, secret: str, now: datetime) -> None:
    given = header(headers, SIGNATURE)
    if not same(hmac_sha256(secret, body).hex(), given.lower()):
        raise Unauthorized(
            f"{SIGNATURE} does not match the body (check HERODESK_SENTRY_CLIENT_SECRET)"
        )
    # Sentry sends whole (sometimes fractional) seconds since the epoch.
    stamp = header(headers, TIMESTAMP)
    whole, _dot, fraction = stamp.partition(".")
    if fraction and not fraction.isdigit():
        whole = stamp  # let check_timestamp name it as unreadable
    check_timestamp(whole, now, WINDOW_SECONDS, TIMESTAMP)


def object_id(resource: str, data: Any) -> str:
    value: Any = data
    for part in OBJECT_IDS.get(resource, ()):
        value = value.get(part) if isinstance(value, dict) else None
    return str(value) if isinstance(value, str | int) and str(value) else ""


def envelope(headers: Mapping[str, str], body: bytes) -> Envelope:
    resource = (headers.get(RESOURCE) or "").strip()
    if not resource:
        raise Malformed(f"missing {RESOURCE} header")
    payload = json_object(body)
    action = payload.get("action")
    if not isinstance(action, str) or not action:
        raise Malformed("the payload has no action")
    found = object_id(resource, payload.get("data"))
    if not found and resource in ("issue", "event_alert", "metric_alert"):
        raise Malformed(f"{resource} payload without data.{'.'.join(OBJECT_IDS[resource])}")
    event_type = f"{resource}.{action}"
    request_id = (headers.get(REQUEST_ID) or "").strip()
    if request_id:
        return Envelope(key=f"request:{request_id}", event_type=event_type)
    stamp = (headers.get(TIMESTAMP) or "").encode()
    digest = hashlib.sha256(stamp + b"\n" + body).hexdigest()
    return Envelope(key=f"{resource}:{action}:sha256:{digest}", event_type=event_type)


HOOK = Webhook(
    channel="sentry",
    secret_setting="HERODESK_SENTRY_CLIENT_SECRET",
    verify=verify,
    envelope=envelope,
    keep_headers=(
        "request-id",
        "sentry-hook-resource",
        "sentry-hook-timestamp",
        "sentry-hook-signature",
    ),
)
