"""The intake framework every channel plugs into.

API (stable; channels in herodesk/intake/<channel>/ rely on it)
-----------------------------------------------------------------
Front door (HTTP view, SMTP server, API endpoint), inside the request:

    delivery, created = accept(channel, key, event_type, headers, body)

  Stores the raw delivery and enqueues `process_delivery` in ONE transaction.
  Idempotent on (channel, key): a retry returns the stored delivery with
  created=False and writes nothing. Header names that carry credentials
  (Authorization, Cookie, …) are dropped before storing.

Worker (the `process_delivery` job) and `herodesk intake replay ID`:

    process(delivery) -> Delivery

  Looks up `EVENT_HANDLERS[delivery.event_type]` of the channel's adapter
  (herodesk.intake.registry) and calls `handler(delivery)` inside a
  transaction. The handler returns the Ticket it made or touched (or None)
  and may raise `Ignored(reason)` (→ status "ignored") or `Failed(message)`
  (→ "failed"); any other exception also marks the delivery failed, with the
  exception's text, and is rolled back; the worker never crashes. An event
  type without a handler is recorded as ignored. Handlers must be safe to run
  twice on the same delivery (replay).

Adapter module protocol (herodesk/intake/<channel>/adapter.py):

    EVENT_HANDLERS: dict[str, Callable[[Delivery], Ticket | None]]

Webhook channels also have hook.py exposing `HOOK = Webhook(...)` (below):
the view checks the size limit (413), the secret (503 when unset), the
content type (415: one of `content_types`), the signature over the raw bytes
(401, `Unauthorized`), parses the envelope (400, `Malformed`) and calls
`accept`. Normalized items and ticket filing live in
herodesk.intake.items; routing and tiers in herodesk.intake.triage.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django_tasks import task

from herodesk.intake import registry
from herodesk.intake.models import Delivery, DeliveryStatus, SignatureFailure
from herodesk.lib.prepared import Prepared, insert
from herodesk.tickets.models import Ticket

log = logging.getLogger(__name__)

KEY_LENGTH = 255
EVENT_TYPE_LENGTH = 100
ERROR_LENGTH = 4000
# Never stored: they carry credentials, not facts about the delivery.
SENSITIVE_HEADERS = frozenset(
    {"authorization", "cookie", "proxy-authorization", "x-api-key", "x-auth-token"}
)


class Ignored(Exception):
    """Raised by a handler: nothing to do for this delivery (reason recorded)."""


class Failed(Exception):
    """Raised by a handler: the delivery cannot be processed (message recorded)."""


class Unauthorized(Exception):
    """Raised by Webhook.verify: bad or missing signature, stale timestamp (401)."""


class Malformed(Exception):
    """Raised by Webhook.envelope: the body or a required header is unreadable (400)."""


Handler = Callable[[Delivery], Any]


@dataclass(frozen=True)
class Envelope:
    """What the view needs to store a delivery, read from headers and body.

    `reply` (for handshakes such as Slack's url_verification) is answered
    right away as JSON and nothing is stored.
    """

    key: str
    event_type: str
    reply: dict[str, Any] | None = None


@dataclass
class Item:
    """A normalized inbound item, whatever the channel (see herodesk.intake.items).

    `external_ref` groups: a second item with the same (channel, external_ref)
    lands on the same ticket. Requester identity: any of email, github_login,
    slack_user_id, username (first found wins; a new requester is made if none).
    Routing hints feed triage.route.
    """

    channel: str
    subject: str
    body: str
    external_ref: str = ""
    external_url: str = ""
    message_external_id: str = ""
    body_html: str = ""
    original: str = ""
    email: str = ""
    name: str = ""
    github_login: str = ""
    slack_user_id: str = ""
    username: str = ""
    organization: str = ""
    repository: str = ""
    slack_channel: str = ""
    sentry_project: str = ""
    page: str = ""  # community questions: the docs page path
    topic: str = ""  # community questions: the topic slug
    escalated: bool = False
    tier: int | None = None  # set: a tier decided upstream (e.g. Zendesk priority)
    metadata: dict[str, Any] = field(default_factory=dict)


class Verifier(Protocol):
    def __call__(
        self, headers: Mapping[str, str], body: bytes, secret: str, now: datetime
    ) -> None: ...


@dataclass(frozen=True)
class Webhook:
    """How the HTTP view treats one webhook channel."""

    channel: str
    secret_setting: str  # the settings name holding the shared secret
    verify: Verifier  # raises Unauthorized
    envelope: Callable[[Mapping[str, str], bytes], Envelope]  # raises Malformed
    # Request headers worth keeping with the raw body (lower-case names).
    keep_headers: tuple[str, ...] = field(default_factory=tuple)
    # The media types the sender uses; anything else is a 415 and stores nothing.
    content_types: tuple[str, ...] = ("application/json",)


def mapping(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else {} (for optional parts of payloads)."""
    return value if isinstance(value, dict) else {}


def clean_key(key: str) -> str:
    """Keys longer than the column are replaced by their SHA-256 (still unique)."""
    key = key.strip()
    if not key:
        raise ValueError("a delivery key must not be empty")
    if len(key) > KEY_LENGTH:
        return "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def clean_headers(headers: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in headers.items() if k.lower() not in SENSITIVE_HEADERS}


def accept(
    channel: str, key: str, event_type: str, headers: Mapping[str, Any], body: bytes
) -> tuple[Delivery, bool]:
    """Store a raw delivery and enqueue its processing; a retry writes nothing."""
    key = clean_key(key)
    try:
        with transaction.atomic():
            delivery = insert(
                Delivery(
                    channel=channel,
                    key=key,
                    event_type=event_type[:EVENT_TYPE_LENGTH],
                    headers=clean_headers(headers),
                    body=bytes(body),
                    received_at=timezone.now(),
                )
            )
            process_delivery.enqueue(delivery.pk)
    except IntegrityError:
        existing = Delivery.objects.filter(channel=channel, key=key).order_by().first()
        if existing is None:  # not the unique key that clashed
            raise
        return existing, False
    return delivery, True


def _finish(delivery: Delivery, status: str, error: str = "", ticket: Any = None) -> None:
    delivery.status = status
    delivery.error = error[:ERROR_LENGTH]
    delivery.processed_at = timezone.now()
    fields = ["status", "error", "processed_at", "attempts"]
    if isinstance(ticket, Ticket):
        delivery.ticket = ticket
        fields.append("ticket")
    delivery.save(update_fields=fields)


def _run(delivery: Delivery, handler: Handler) -> None:
    try:
        with transaction.atomic():
            ticket = handler(delivery)
    except Ignored as exc:
        _finish(delivery, DeliveryStatus.IGNORED, str(exc))
    except Failed as exc:
        _finish(delivery, DeliveryStatus.FAILED, str(exc))
    except Exception as exc:  # a bug or bad data: record it, never crash the worker
        log.exception("intake delivery %s (%s) failed", delivery.pk, delivery.channel)
        _finish(delivery, DeliveryStatus.FAILED, f"{type(exc).__name__}: {exc}")
    else:
        _finish(delivery, DeliveryStatus.PROCESSED, ticket=ticket)


def process(delivery: Delivery) -> Delivery:
    """Run the channel's handler for this delivery and record the outcome."""
    delivery.attempts += 1
    try:
        handlers = registry.handlers(delivery.channel)
    except LookupError as exc:
        _finish(delivery, DeliveryStatus.FAILED, str(exc))
        return delivery
    handler = handlers.get(delivery.event_type)
    if handler is None:
        _finish(
            delivery,
            DeliveryStatus.IGNORED,
            f"no handler for {delivery.channel} event {delivery.event_type!r}",
        )
        return delivery
    _run(delivery, handler)
    return delivery


# Run once per delivery by the worker: compiled once (core/prepared.py).
_LOCKED = Prepared(
    Delivery, lambda pk: Delivery.objects.select_for_update().filter(pk=pk).order_by()[:1]
)


@task()
def process_delivery(delivery_id: int) -> str:
    """The background job: process one accepted delivery (once)."""
    with transaction.atomic():
        delivery = _LOCKED.first(delivery_id)
        if delivery is None:
            return "missing"
        if delivery.status != DeliveryStatus.ACCEPTED:
            return f"already {delivery.status}"
        process(delivery)
        return str(delivery.status)


def note_signature_failure(channel: str, now: datetime | None = None) -> None:
    """Count a refused signature (one row per channel and minute; a day is kept)."""
    minute = (now or timezone.now()).replace(second=0, microsecond=0)
    with transaction.atomic():
        updated = SignatureFailure.objects.filter(channel=channel, minute=minute).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    SignatureFailure.objects.create(channel=channel, minute=minute, count=1)
            except IntegrityError:  # another request made the row first
                SignatureFailure.objects.filter(channel=channel, minute=minute).update(
                    count=F("count") + 1
                )
        SignatureFailure.objects.filter(minute__lt=minute - timedelta(days=1)).delete()


def signature_failures(channel: str, since: datetime) -> int:
    rows = SignatureFailure.objects.filter(channel=channel, minute__gte=since)
    return int(rows.aggregate(n=Sum("count"))["n"] or 0)
