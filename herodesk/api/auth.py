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
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


# The browser UI may call the API with its session; CSRF is enforced for that.
AUTH = [BearerAuth(), SessionAuth(csrf=True)]
