"""Test events: a signed sample delivery per webhook channel, sent through the
same checks as a real call (secret, signature, envelope, store, enqueue) by
the integrations page's "Send a test event" button."""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone

from herodesk.intake import registry
from herodesk.intake.signing import hmac_sha256
from herodesk.intake.views import handle

TITLE = "Test event from HeroDesk"
Builder = Callable[[str, str], tuple[dict[str, str], dict[str, Any]]]


def _github(target: str, nonce: str) -> tuple[dict[str, str], dict[str, Any]]:
    number = int(time.time()) % 1_000_000
    issue = {
        "id": int(nonce[:8], 16),
        "number": number,
        "title": TITLE,
        "body": "A sample issue, sent from the desk's integrations page.",
        "html_url": f"https://github.com/{target}/issues/{number}",
        "user": {"login": "herodesk-test", "type": "User"},
        "author_association": "NONE",
        "labels": [],
        "state": "open",
    }
    payload = {"action": "opened", "issue": issue, "repository": {"full_name": target}}
    return {"X-GitHub-Event": "issues", "X-GitHub-Delivery": nonce}, payload


def _sentry(target: str, nonce: str) -> tuple[dict[str, str], dict[str, Any]]:
    issue = {
        "id": nonce[:12],
        "title": TITLE,
        "culprit": "herodesk.test",
        "shortId": "TEST-1",
        "web_url": "https://sentry.io/",
        "project": {"slug": target, "name": target},
    }
    payload = {"action": "created", "data": {"issue": issue}}
    return {"Sentry-Hook-Resource": "issue", "Request-ID": nonce}, payload


def _zendesk(target: str, nonce: str) -> tuple[dict[str, str], dict[str, Any]]:
    ticket = {
        "id": int(nonce[:8], 16),
        "subject": TITLE,
        "description": "A sample ticket, sent from the desk's integrations page.",
        "status": "new",
        "priority": "normal",
        "updated_at": timezone.now().isoformat(),
        "requester": {"email": "test-event@herodesk.example", "name": "Test Event"},
    }
    return {}, {"event": "ticket.created", "ticket": ticket}


def _slack(target: str, nonce: str) -> tuple[dict[str, str], dict[str, Any]]:
    event = {
        "type": "message",
        "channel": target,
        "user": "UTESTEVENT",
        "text": TITLE,
        "ts": f"{time.time():.6f}",
    }
    payload = {
        "type": "event_callback",
        "team_id": "TTEST",
        "event_id": f"Ev{nonce}",
        "event": event,
    }
    return {}, payload


def _sign(channel: str, secret: str, body: bytes) -> dict[str, str]:
    if channel == "github":
        return {"X-Hub-Signature-256": "sha256=" + hmac_sha256(secret, body).hex()}
    if channel == "sentry":
        return {"Sentry-Hook-Signature": hmac_sha256(secret, body).hex()}
    stamp = str(int(time.time()))
    if channel == "slack":
        mac = hmac_sha256(secret, b"v0:", stamp.encode(), b":", body).hex()
        return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=" + mac}
    when = timezone.now().isoformat()
    mac = base64.b64encode(hmac_sha256(secret, when.encode(), body)).decode()
    return {"X-Zendesk-Webhook-Signature-Timestamp": when, "X-Zendesk-Webhook-Signature": mac}


BUILDERS: dict[str, Builder] = {
    "github": _github,
    "sentry": _sentry,
    "zendesk": _zendesk,
    "slack": _slack,
}


def send_test_event(channel: str, target: str) -> tuple[int, dict[str, Any]]:
    """Send a sample to `channel` (a repository, Sentry project or Slack channel
    id as `target`) through the webhook checks; (HTTP status, answer)."""
    hook = registry.hook(channel)
    headers, payload = BUILDERS[channel](target, secrets.token_hex(12))
    body = json.dumps(payload).encode()
    secret = getattr(settings, hook.secret_setting, "")
    signed = {**headers, **(_sign(channel, secret, body) if secret else {})}
    signed["Content-Type"] = "application/json"
    signed["User-Agent"] = "HeroDesk test event"
    kept = {k.lower(): v for k, v in signed.items() if k.lower() in hook.keep_headers}
    kept = {**kept, "user-agent": "HeroDesk test event", "content-type": "application/json"}
    return handle(hook, signed, body, kept, "application/json")
