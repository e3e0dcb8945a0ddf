"""Who is on the community site: the community session, staff, or a token.

A community login stores the account id (and a hash of its password, so a
password reset logs every session out) under its own session keys. It never
touches Django's auth keys, so `request.user` stays anonymous for a community
member: the desk, the staff API and the admin see nobody.
"""

from __future__ import annotations

import hmac
from typing import Any, cast

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from herodesk.community.authors import Author
from herodesk.community.models import Account

SESSION_KEY = "_community_account"
HASH_KEY = "_community_account_hash"


def _hash(account: Account) -> str:
    return salted_hmac("herodesk.community.session", account.password).hexdigest()


def login(request: HttpRequest, account: Account) -> None:
    request.session.cycle_key()  # no session fixation
    request.session[SESSION_KEY] = account.pk
    request.session[HASH_KEY] = _hash(account)


def logout(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(HASH_KEY, None)
    request.session.cycle_key()


def account(request: HttpRequest) -> Account | None:
    cached = getattr(request, "_community_account", False)
    if cached is not False:
        return cast("Account | None", cached)
    found = None
    pk = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if pk is not None:
        row = Account.objects.filter(pk=pk, is_active=True).first()
        if row is not None and hmac.compare_digest(
            str(request.session.get(HASH_KEY, "")), _hash(row)
        ):
            found = row
    request._community_account = found  # type: ignore[attr-defined]
    return found


def author(request: HttpRequest) -> Author | None:
    """Staff (logged in to the desk) act as Team; else the community account; else None."""
    user: Any = getattr(request, "user", None)
    return Author.of(account=account(request), user=user)
