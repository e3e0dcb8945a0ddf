"""API tokens: `GET/POST /api/v1/tokens`, `DELETE /api/v1/tokens/{id}`.

Everyone lists, creates (shown once) and revokes their own; admins list
anyone's (`?username=`) and revoke anyone's. A revoked token stops working at
once: every API call checks it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from herodesk.api.tickets import ERRORS
from herodesk.lib.errors import Forbidden, NotFound
from herodesk.teams import access
from herodesk.teams.actions import token_create, token_revoke
from herodesk.teams.models import ApiToken

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    username: str
    name: str
    prefix: str = Field(description="the first characters, to recognise it")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(description="the token itself: shown this once, never again")


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    expires_at: datetime | None = Field(None, description="ISO 8601 with offset; null: never")


def token_out(t: ApiToken, **extra: Any) -> dict[str, Any]:
    return {
        "id": t.pk,
        "username": t.user.get_username(),
        "name": t.name,
        "prefix": t.prefix,
        "created_at": t.created_at,
        "last_used_at": t.last_used_at,
        "expires_at": t.expires_at,
        "revoked_at": t.revoked_at,
        **extra,
    }


@router.get("/tokens", response={200: list[TokenOut], **ERRORS})
def list_tokens(request: HttpRequest, username: str | None = None) -> Any:
    user: Any = request.user
    if username and username != user.get_username() and not access.is_admin(user):
        raise Forbidden("only an admin can list someone else's tokens")
    who = username or user.get_username()
    rows = ApiToken.objects.filter(user__username=who).select_related("user")
    return [token_out(t) for t in rows.order_by("-created_at", "-id")]


@router.post("/tokens", response={201: NewTokenOut, **ERRORS})
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    user = get_user_model().objects.get(username=request.user.get_username())
    token, raw = token_create(user, name=payload.name, expires_at=payload.expires_at, actor=user)
    return Status(201, token_out(token, token=raw))


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS})
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    row = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if row is None or (row.user_id != request.user.pk and not access.is_admin(request.user)):
        raise NotFound(f"no token {token_id} of yours")
    token_revoke(row, actor=request.user)
    return Status(204, None)
