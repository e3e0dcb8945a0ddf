"""Bearer-token and session authentication for the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from herodesk.lib.prepared import Prepared
from herodesk.teams.models import ApiToken, hash_token

# Every API call looks its token up: compile that query once (core/prepared.py).
TOKEN = Prepared(
    ApiToken,
    lambda digest: ApiToken.objects.select_related("user__person").filter(digest=digest)[:1],
)


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token:
            return None
        row = TOKEN.first(hash_token(token))
        now = timezone.now()
        # Revoked, expired or its person deactivated: refused on this very request.
        if row is None or not row.user.is_active or not row.works(now):
            return None
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class BrowserSessionAuth(SessionAuth):
    """The desk's own pages may call the API with the signed-in session.

    CSRF applies to exactly those requests: a request that sends an
    Authorization header, or has no signed-in session, is not a browser
    session request, so a wrong or missing token answers 401 (not a CSRF 403).
    """

    def __call__(self, request: HttpRequest) -> Any:
        if "Authorization" in request.headers or not request.user.is_authenticated:
            return None
        return super().__call__(request)


AUTH = [BearerAuth(), BrowserSessionAuth(csrf=True)]
