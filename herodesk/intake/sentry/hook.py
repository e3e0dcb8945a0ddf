"""POST /hooks/sentry: Sentry-Hook-Signature (HMAC-SHA256 hex of the body with the
integration's client secret); key = resource + action + object id."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from herodesk.intake.base import Envelope, Malformed, Unauthorized, Webhook
from herodesk.intake.signing import header, hmac_sha256, json_object, same

SIGNATURE = "Sentry-Hook-Signature"
RESOURCE = "Sentry-Hook-Resource"
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
    key = found or "sha256:" + hashlib.sha256(body).hexdigest()
    return Envelope(key=f"{resource}:{action}:{key}", event_type=f"{resource}.{action}")


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
