"""Reads: the sessions a person has open, their second-factor devices."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from herodesk.security.models import SignInSession


def session_alive(session_key: str) -> bool:
    """Does the session store still hold this session (not expired, not flushed)?"""
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    return bool(store.load())


def open_sessions(user: Any) -> list[SignInSession]:
    """`user`'s sessions that still work, most recently active first."""
    rows = list(SignInSession.objects.filter(user=user).order_by("-last_seen_at", "-id"))
    return [row for row in rows if session_alive(row.session_key)]


def two_factor(user: Any) -> dict[str, Any]:
    """What the account page shows: is an authenticator set up, codes left."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    codes = StaticToken.objects.filter(device__user=user).count()
    return {
        "enabled": device is not None,
        "since": device.created_at if device is not None else None,
        "last_used_at": device.last_used_at if device is not None else None,
        "recovery_codes_left": codes,
    }
