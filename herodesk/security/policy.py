"""Who must prove a second factor, read from settings and the session.

- A person with a confirmed TOTP device always does (they opted in).
- With HERODESK_REQUIRE_2FA=true every staff account does: superusers,
  Django staff and anyone with a Person profile (the desk's agents).
- A session signed in through single sign-on (a backend listed in
  HERODESK_2FA_SSO_BACKENDS) counts as verified: the identity provider's
  own second factor applies there.

What was decided is kept in the session (`MFA_KEY`), so most requests cost
no query; enrolling or removing a device updates it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django_otp import user_has_device

MFA_KEY = "hd_mfa"
# Values of session[MFA_KEY].
NONE, DEVICE, REQUIRED, SSO = "none", "device", "required", "sso"


def is_staff_account(user: Any) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return bool(user.is_superuser or user.is_staff or hasattr(user, "person"))


def has_device(user: Any) -> bool:
    return bool(user_has_device(user, confirmed=True))


def sso_backends() -> set[str]:
    return set(getattr(settings, "HERODESK_2FA_SSO_BACKENDS", ()))


def decide(user: Any, backend: str) -> str:
    """The session's second-factor state right after sign-in."""
    if backend in sso_backends():
        return SSO
    if has_device(user):
        return DEVICE
    if getattr(settings, "HERODESK_REQUIRE_2FA", False) and is_staff_account(user):
        return REQUIRED
    return NONE


def state(request: Any) -> str:
    """The session's state, deciding (once) for sessions older than this code."""
    session = request.session
    value = session.get(MFA_KEY)
    if value not in (NONE, DEVICE, REQUIRED, SSO):
        value = decide(request.user, session.get(BACKEND_SESSION_KEY, ""))
        session[MFA_KEY] = value
    if value == NONE and getattr(settings, "HERODESK_REQUIRE_2FA", False):
        # The deployment started requiring it after this session began.
        value = decide(request.user, session.get(BACKEND_SESSION_KEY, ""))
        session[MFA_KEY] = value
    return str(value)


def needs_code(request: Any) -> bool:
    """True when this signed-in session must still show a one-time code."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return state(request) in (DEVICE, REQUIRED)
