"""API tokens (`token_issue`, `token_create`, `token_revoke`): named, optionally expiring,
shown once. Only a token's SHA-256 is kept; a revoked or expired token stops
working on its next request (the API checks both on every call).

Callers check roles: everyone manages their own tokens; admins revoke anyone's.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.lib.errors import Conflict, Invalid
from herodesk.teams.models import ApiToken, hash_token

MAX_LIFETIME = timedelta(days=3 * 366)


def _snapshot(t: ApiToken) -> dict[str, Any]:
    return {
        "user": t.user.get_username(),
        "name": t.name,
        "prefix": t.prefix,
        "expires_at": t.expires_at.isoformat() if t.expires_at else None,
    }


@transaction.atomic
def token_issue(
    user: Any, name: str = "", *, actor: Any = "cli", expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new API bearer token for `user`: (row, raw value). Only the SHA-256 is
    stored; the raw value is shown once by the caller."""
    raw = "hd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, digest=hash_token(raw), prefix=raw[:10], expires_at=expires_at
    )
    record(actor, "token.issued", token, after=_snapshot(token))
    return token, raw


@transaction.atomic
def token_create(
    user: Any, *, actor: Any, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its raw value (shown once, never stored)."""
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("give the token a name (what uses it: a script, CI, …)", field="name")
    if len(name) > 100:
        raise Invalid("name is too long (at most 100 characters)", field="name")
    now = timezone.now()
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            raise Invalid("expires_at needs a UTC offset", field="expires_at")
        if expires_at <= now:
            raise Invalid("expires_at must be in the future", field="expires_at")
        if expires_at - now > MAX_LIFETIME:
            raise Invalid("a token lives at most 3 years", field="expires_at")
    if not user.is_active:
        raise Conflict(f"{user.get_username()} is deactivated", field="user")
    return token_issue(user, name, actor=actor, expires_at=expires_at)


@transaction.atomic
def token_revoke(token: ApiToken, *, actor: Any) -> ApiToken:
    """The token stops working now (its row stays for the audit trail)."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor, "token.revoked", token, before=_snapshot(token))
    return token
