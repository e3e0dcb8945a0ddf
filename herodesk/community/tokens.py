"""One-use links for community accounts: email verification and password reset.

Both reuse Django's PasswordResetTokenGenerator (HMAC over SECRET_KEY with a
timestamp, constant-time compare, expiry PASSWORD_RESET_TIMEOUT): the hash
value covers what the link changes, so a used link stops working.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode


class _Verify(PasswordResetTokenGenerator):
    key_salt = "herodesk.community.verify"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.email_verified_at}{timestamp}"


class _Reset(PasswordResetTokenGenerator):
    key_salt = "herodesk.community.reset"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        login = "" if user.last_login is None else user.last_login.replace(microsecond=0)
        return f"{user.pk}{user.password}{login}{timestamp}{user.email}"


# Typed loosely: Django's stubs expect a User, these take a community Account.
verify: Any = _Verify()
reset: Any = _Reset()


def uid(pk: int) -> str:
    return urlsafe_base64_encode(force_bytes(pk))


def pk_of(uidb64: str) -> int | None:
    try:
        return int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
