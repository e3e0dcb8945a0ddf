"""The /api/v1/ NinjaAPI: auth, error shapes, and every router."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from herodesk.api import (
    directory,
    handoffs,
    intake_mail,
    members,
    playbooks,
    reports,
    repositories,
    rotations,
    routing_rules,
    sessions,
    teams,
    tickets,
    tokens,
)
from herodesk.api.auth import AUTH
from herodesk.api.docs import LocalRedoc, LocalSwagger
from herodesk.api.parser import SingleValueParser
from herodesk.lib.errors import ActionError

log = logging.getLogger(__name__)


class HeroDeskAPI(NinjaAPI):
    def create_temporal_response(self, request: HttpRequest) -> HttpResponse:
        """The response whose headers ninja copies to the answer; decorators
        (api/idempotency.py) find it as `request.ninja_response`."""
        response = super().create_temporal_response(request)
        request.ninja_response = response  # type: ignore[attr-defined]
        return response


api = HeroDeskAPI(
    title="HeroDesk API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
    docs=LocalSwagger(),
    parser=SingleValueParser(),
)


def redoc(request: HttpRequest) -> HttpResponse:
    """/api/v1/redoc: the same OpenAPI document in ReDoc (assets served locally)."""
    return LocalRedoc().render_page(request, api)


api.add_router("", tickets.router)
api.add_router("", teams.router)
api.add_router("", rotations.router)
api.add_router("", intake_mail.router)
api.add_router("", routing_rules.router)
api.add_router("", handoffs.router)
api.add_router("", playbooks.router)
api.add_router("", reports.router)
api.add_router("", sessions.router)
api.add_router("", members.router)
api.add_router("", directory.router)
api.add_router("", repositories.router)
api.add_router("", tokens.router)


@api.exception_handler(ActionError)
def action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "field": exc.field}, status=exc.status_code
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 naming each bad field: {"detail": "body.tier: …", "errors": [...]}."""
    parts = []
    for err in exc.errors:
        loc = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{loc}: {err.get('msg', 'invalid')}")
    first = exc.errors[0].get("loc", ()) if exc.errors else ()
    # The field is the last named part of the location (not a list index).
    names = [str(p) for p in first if not isinstance(p, int) and p not in ("body", "payload")]
    field = names[-1] if names else None
    return api.create_response(
        request,
        {"detail": "; ".join(parts) or "invalid input", "field": field, "errors": exc.errors},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "authentication required: send Authorization: Bearer <token>"},
        status=401,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
