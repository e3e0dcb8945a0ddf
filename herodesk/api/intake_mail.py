"""POST /api/v1/email (raw MIME) and POST /api/v1/bug-reports (JSON).

Both are machine-to-machine: bearer token only (no session), so a bad token
is always 401. The caller must be an agent or hold the `intake.add_delivery`
permission (give that to the service account your app or mail relay uses).
Each endpoint validates, stores the raw delivery and answers 202; the ticket
is made by the background worker. Bad input writes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import ValidationError as PydanticError

from herodesk.api.auth import BearerAuth
from herodesk.api.idempotency import idempotent
from herodesk.intake.bugreport.adapter import accept_bug_report
from herodesk.intake.bugreport.schema import BugReportIn, openapi_schema
from herodesk.intake.email.adapter import accept_email
from herodesk.intake.models import Delivery
from herodesk.lib.errors import Forbidden
from herodesk.teams import access

router = Router(tags=["intake"], auth=[BearerAuth()])
MAX_BUG_REPORT_BYTES = 512 * 1024


class Accepted(Schema):
    delivery: int
    status: str
    duplicate: bool


class Problem(Schema):
    detail: str


ERRORS: dict[int, type] = {code: Problem for code in (400, 401, 403, 413, 415, 422)}


def require_intake(user: Any) -> None:
    if access.is_agent(user) or (user.is_active and user.has_perm("intake.add_delivery")):
        return
    raise Forbidden(
        "this token may not submit intake: it needs an agent account or the "
        "'intake | delivery | Can add delivery' permission"
    )


def read_body(request: HttpRequest, limit: int) -> bytes:
    """The raw body, refusing more than `limit` bytes (413) without reading it all."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise HttpError(400, "Content-Length is not a number") from None
    if declared > limit:
        raise HttpError(413, f"the body is {declared} bytes; the limit is {limit}")
    data = request.read(limit + 1)
    if len(data) > limit:
        raise HttpError(413, f"the body is larger than the limit of {limit} bytes")
    return data


def _answer(delivery: Delivery, created: bool) -> Status[dict[str, Any]]:
    return Status(
        202, {"delivery": delivery.pk, "status": delivery.status, "duplicate": not created}
    )


@router.post(
    "/email",
    response={202: Accepted, **ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
@idempotent(limit=lambda: settings.HERODESK_MAX_EMAIL_BYTES)
def post_email(request: HttpRequest) -> Any:
    """Submit one raw email (RFC 5322 bytes, `Content-Type: message/rfc822`).

    Idempotent on the Message-ID (or the SHA-256 of the bytes when there is
    none): sending the same mail twice answers `duplicate: true`. With an
    `Idempotency-Key` header, a retry within 24 hours answers exactly the
    first response (and the same key with other bytes is a 422).
    """
    require_intake(request.user)
    if request.content_type != "message/rfc822":
        raise HttpError(
            415, f"Content-Type must be message/rfc822, got {request.content_type or 'none'}"
        )
    raw = read_body(request, settings.HERODESK_MAX_EMAIL_BYTES)
    if not raw.strip():
        raise HttpError(400, "the body is empty: send the raw message")
    envelope = {"source": "api", "submitted_by": request.user.get_username()}
    return _answer(*accept_email(raw, envelope=envelope))


def _validation_error(exc: PydanticError) -> ValidationError:
    """pydantic's errors in the API's 422 shape (loc names the field)."""
    return ValidationError(
        [
            {"loc": ("body", *err["loc"]), "msg": err["msg"], "type": err["type"]}
            for err in exc.errors()
        ]
    )


@router.post(
    "/bug-reports",
    response={202: Accepted, **ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": openapi_schema()}},
        }
    },
)
@idempotent(limit=lambda: MAX_BUG_REPORT_BYTES)
def post_bug_report(request: HttpRequest) -> Any:
    """Submit an in-app bug report. Send the same `id` (or an `Idempotency-Key`
    header) on a retry and no second ticket is made; the same key with a
    different report within 24 hours is a 422."""
    require_intake(request.user)
    if request.content_type != "application/json":
        raise HttpError(
            415, f"Content-Type must be application/json, got {request.content_type or 'none'}"
        )
    body = read_body(request, MAX_BUG_REPORT_BYTES)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise HttpError(400, "the body is not valid JSON") from None
    try:
        report = BugReportIn.model_validate(data)
    except PydanticError as exc:
        raise _validation_error(exc) from None
    return _answer(
        *accept_bug_report(
            body,
            report,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            submitted_by=request.user.get_username(),
        )
    )
