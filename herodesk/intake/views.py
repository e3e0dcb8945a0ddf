"""POST /hooks/<channel>: verify, store the raw payload, enqueue, answer.

Nothing here parses more than the envelope (idempotency key and event type);
the work happens in the background job (herodesk.intake.base.process).
Order of checks: size (413) → secret configured (503) → content type the
sender uses (415) → signature over the raw bytes (401) → envelope (400) →
store + enqueue (200). A rejected request writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from herodesk.intake import base, registry

ALWAYS_KEPT = ("content-type", "user-agent")


def problem(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def read_limited(request: HttpRequest, limit: int) -> bytes | None:
    """The raw body, or None when it is larger than `limit` bytes."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    data = request.read(limit + 1)
    return None if len(data) > limit else data


def kept_headers(request: HttpRequest, hook: base.Webhook) -> dict[str, str]:
    names = (*ALWAYS_KEPT, *hook.keep_headers)
    return {name: request.headers[name] for name in names if name in request.headers}


def _receive(request: HttpRequest, hook: base.Webhook) -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = read_limited(request, limit)
    if body is None:
        return problem(413, f"the body is larger than the limit of {limit} bytes")
    status, answer = handle(
        hook, request.headers, body, kept_headers(request, hook), request.content_type or ""
    )
    return JsonResponse(answer, status=status)


def handle(
    hook: base.Webhook,
    headers: Mapping[str, str],
    body: bytes,
    kept: dict[str, str],
    content_type: str,
) -> tuple[int, dict[str, Any]]:
    """Secret (503) → Content-Type (415) → signature (401) → envelope (400) →
    store + enqueue (200).
    Also the path of the integrations page's test events."""
    secret = getattr(settings, hook.secret_setting, "")
    if not secret:
        return 503, {
            "detail": f"the {hook.channel} channel is not configured: set {hook.secret_setting}"
        }
    if (content_type or "").lower() not in hook.content_types:
        sent = content_type or "none"
        return 415, {
            "detail": f"Content-Type must be {' or '.join(hook.content_types)}, got {sent}"
        }
    try:
        hook.verify(headers, body, secret, timezone.now())
    except base.Unauthorized as exc:
        base.note_signature_failure(hook.channel)
        return 401, {"detail": str(exc)}
    try:
        envelope = hook.envelope(headers, body)
    except base.Malformed as exc:
        return 400, {"detail": str(exc)}
    if envelope.reply is not None:
        return 200, envelope.reply
    delivery, created = base.accept(hook.channel, envelope.key, envelope.event_type, kept, body)
    return 200, {"delivery": delivery.pk, "status": delivery.status, "duplicate": not created}


@csrf_exempt
@require_POST
def receive(request: HttpRequest, channel: str) -> JsonResponse:
    try:
        hook = registry.hook(channel)
    except LookupError:
        return problem(404, f"no webhook channel named {channel!r}")
    return _receive(request, hook)
