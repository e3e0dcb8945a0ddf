"""`Idempotency-Key` for API creates (POST /tickets, /bug-reports, /email).

A client that lost the answer to a create retries with the same key:

- same key, same request within 24 hours → the first answer again (with
  `Idempotent-Replayed: true`), nothing created;
- same key, a different request → 422 naming the header;
- a refused request (4xx) is not remembered: fix it and retry with the key.

Keys belong to the caller (the authenticated user). The key row is inserted
in the same transaction as the create, before it runs: a concurrent retry
waits on the row's unique index and then replays the stored answer.
Each new key also removes up to PRUNE_BATCH keys older than a day, so the
table stays as small as a day of creates.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import io
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Status
from ninja.errors import HttpError
from ninja.responses import NinjaJSONEncoder

from herodesk.api.models import IdempotentRequest
from herodesk.lib.errors import Invalid

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
MAX_KEY = 255
FIELD = "Idempotency-Key"
PRUNE_BATCH = 100


def clean_key(raw: str) -> str:
    key = raw.strip()
    if not key or len(key) > MAX_KEY or not all(33 <= ord(c) < 127 for c in key):
        raise Invalid(
            f"{HEADER} must be 1 to {MAX_KEY} visible ASCII characters (a UUID is a good key)",
            field=FIELD,
        )
    return key


def raw_body(request: HttpRequest, limit: int) -> bytes:
    """The request body read once (up to `limit` bytes, else 413), kept for the view."""
    cached = getattr(request, "_body", None)
    if cached is not None:
        return bytes(cached)
    data = request.read(limit + 1)
    if len(data) > limit:
        raise HttpError(413, f"the body is larger than the limit of {limit} bytes")
    # Django keeps a read body the same way (HttpRequest.body): later reads see it again.
    request._body = data
    request._stream = io.BytesIO(data)
    return data


def fingerprint(request: HttpRequest, body: bytes) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update((request.content_type or "").encode() + b"\n" + body)
    return digest.hexdigest()


def _replay(request: HttpRequest, row: IdempotentRequest, print_: str) -> Status[Any]:
    """The stored answer, rendered by ninja through the same response schema."""
    if row.fingerprint != print_:
        raise Invalid(
            f"this {HEADER} was used for a different request in the last 24 hours: "
            "send a new key for a new request",
            field=FIELD,
        )
    headers = getattr(request, "ninja_response", None)  # set by api.main.HeroDeskAPI
    if headers is not None:
        headers["Idempotent-Replayed"] = "true"
    return Status(row.status, row.response)


def _unpack(result: Any) -> tuple[int, Any]:
    if isinstance(result, Status):
        return int(result.status_code), result.value
    return 200, result


def _owner(request: HttpRequest) -> int:
    """Keys belong to the authenticated caller (every create needs one)."""
    pk = request.user.pk
    if pk is None:
        raise HttpError(401, "authentication required: send Authorization: Bearer <token>")
    return int(pk)


def _stored(request: HttpRequest, key: str) -> IdempotentRequest | None:
    since = timezone.now() - KEEP_FOR
    return (
        IdempotentRequest.objects.filter(user_id=_owner(request), key=key, created_at__gte=since)
        .order_by()
        .first()
    )


def idempotent(limit: Callable[[], int]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a ninja create endpoint; `limit()` is its body size limit in bytes."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if HEADER not in request.headers:
                return view(request, *args, **kwargs)
            key = clean_key(request.headers[HEADER])
            print_ = fingerprint(request, raw_body(request, limit()))
            try:
                return _run(view, request, key, print_, args, kwargs)
            except IntegrityError:  # a concurrent request with this key won the race
                row = _stored(request, key)
                if row is None or row.status == 0:
                    raise
                return _replay(request, row, print_)

        # ninja reads the view's parameters: give it the original ones, resolved
        # (the view module's string annotations mean nothing in this module).
        wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _run(
    view: Callable[..., Any],
    request: HttpRequest,
    key: str,
    print_: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any:
    with transaction.atomic():
        row = _stored(request, key)
        if row is not None:
            return _replay(request, row, print_)
        IdempotentRequest.objects.filter(user_id=_owner(request), key=key).delete()  # expired
        prune()
        row = IdempotentRequest.objects.create(
            user_id=_owner(request),
            key=key,
            fingerprint=print_,
            status=0,
            response=None,
            created_at=timezone.now(),
        )
        result = view(request, *args, **kwargs)
        status, value = _unpack(result)
        row.status = status
        row.response = json.loads(json.dumps(value, cls=NinjaJSONEncoder))
        row.save(update_fields=["status", "response"])
    return result


def prune(now: Any = None) -> int:
    """Delete up to PRUNE_BATCH keys older than a day; how many."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    old = list(
        IdempotentRequest.objects.filter(created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:PRUNE_BATCH]
    )
    if not old:
        return 0
    count, _ = IdempotentRequest.objects.filter(pk__in=old).delete()
    return int(count)
