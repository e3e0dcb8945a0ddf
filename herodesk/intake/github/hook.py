"""POST /hooks/github: X-Hub-Signature-256 over the raw body; key hook id + delivery id."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

from herodesk.intake.base import Envelope, Malformed, Unauthorized, Webhook
from herodesk.intake.signing import header, hmac_sha256, json_object, same

SIGNATURE = "X-Hub-Signature-256"
FORM = "application/x-www-form-urlencoded"


def verify(headers: Mapping[str, str], body: bytes, secret: str, now: datetime) -> None:
    given = header(headers, SIGNATURE)
    expected = "sha256=" + hmac_sha256(secret, body).hex()
    if not same(expected, given.lower()):
        raise Unauthorized(f"{SIGNATURE} does not match the body (check HERODESK_GITHUB_SECRET)")


def payload_of(body: bytes, content_type: str) -> dict[str, Any]:
    """The event payload, sent as JSON or as a form field `payload` (both are allowed)."""
    if content_type.split(";")[0].strip().lower() == FORM:
        try:
            fields = parse_qs(body.decode("utf-8"), strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            raise Malformed("the form body is not valid") from None
        if "payload" not in fields:
            raise Malformed("the form body has no payload field")
        return json_object(fields["payload"][0].encode("utf-8"))
    return json_object(body)


def envelope(headers: Mapping[str, str], body: bytes) -> Envelope:
    event = (headers.get("X-GitHub-Event") or "").strip()
    delivery = (headers.get("X-GitHub-Delivery") or "").strip()
    if not event:
        raise Malformed("missing X-GitHub-Event header")
    if not delivery:
        raise Malformed("missing X-GitHub-Delivery header")
    payload = payload_of(body, headers.get("Content-Type") or "")
    hook_id = (headers.get("X-GitHub-Hook-ID") or "").strip() or str(payload.get("hook_id") or "-")
    action = payload.get("action")
    event_type = f"{event}.{action}" if isinstance(action, str) and action else event
    return Envelope(key=f"{hook_id}:{delivery}", event_type=event_type)


HOOK = Webhook(
    channel="github",
    content_types=("application/json", FORM),
    secret_setting="HERODESK_GITHUB_SECRET",
    verify=verify,
    envelope=envelope,
    keep_headers=(
        "x-github-event",
        "x-github-delivery",
        "x-github-hook-id",
        "x-hub-signature-256",
        "x-github-hook-installation-target-type",
        "x-github-hook-installation-target-id",
    ),
)
