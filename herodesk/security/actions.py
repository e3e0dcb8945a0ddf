"""Writes of the sign-in security app (`<noun>_<verb>`), each audited.

Sessions: `session_started`, `session_touched`, `session_ended`,
`session_revoke`, `sessions_revoke_all`. Two-factor: `totp_confirm`,
`otp_verified`, `recovery_codes_issue`, `two_factor_remove`.
Sign-in throttling: `signin_locked_out`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from herodesk.audit.log import record
from herodesk.audit.models import Event
from herodesk.lib.errors import Invalid, NotFound
from herodesk.security.models import SignInSession
from herodesk.security.queries import session_alive

RECOVERY_CODES = 10
TOUCH_EVERY = timedelta(minutes=5)
USER_AGENT_LENGTH = 300


def _store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


# Sessions ---------------------------------------------------------------------------------


@transaction.atomic
def session_started(
    user: Any, session_key: str, *, ip: str | None, user_agent: str, method: str
) -> SignInSession:
    """Record a signed-in session (sign-in, or the first request of an older session)."""
    now = timezone.now()
    row, created = SignInSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "last_seen_at": now,
            "ip": ip,
            "user_agent": user_agent[:USER_AGENT_LENGTH],
            "method": method,
        },
        create_defaults={
            "user": user,
            "created_at": now,
            "last_seen_at": now,
            "ip": ip,
            "user_agent": user_agent[:USER_AGENT_LENGTH],
            "method": method,
        },
    )
    if created:
        record(user, "auth.signed_in", user, after={"ip": ip, "method": method})
        for old in SignInSession.objects.filter(user=user).exclude(pk=row.pk):
            if not session_alive(old.session_key):  # expired or flushed elsewhere
                old.delete()
    return row


def session_touched(session_key: str, at: datetime | None = None) -> None:
    """Note activity (the caller calls this at most every TOUCH_EVERY)."""
    SignInSession.objects.filter(session_key=session_key).update(last_seen_at=at or timezone.now())


def session_ended(session_key: str) -> None:
    """The person signed out: the session store already dropped the session."""
    SignInSession.objects.filter(session_key=session_key).delete()


def _end(row: SignInSession, actor: Any) -> None:
    _store()(session_key=row.session_key).delete()
    record(
        actor,
        "auth.session_revoked",
        row.user,
        before={"session": row.pk, "ip": row.ip, "user_agent": row.user_agent},
    )
    row.delete()


@transaction.atomic
def session_revoke(user: Any, session_id: int, *, actor: Any) -> None:
    """End one of `user`'s sessions (that browser is signed out at once)."""
    row = SignInSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        raise NotFound(f"no open session {session_id} for {user.get_username()}")
    _end(row, actor)


@transaction.atomic
def sessions_revoke_all(user: Any, *, actor: Any, keep: str = "") -> int:
    """End every session of `user` (except the session key `keep`); how many."""
    rows = list(SignInSession.objects.filter(user=user).exclude(session_key=keep or None))
    for row in rows:
        _end(row, actor)
    return len(rows)


# Two-factor -------------------------------------------------------------------------------


def totp_key() -> str:
    """A fresh TOTP secret (hex, as django-otp stores it), kept in the session until confirmed."""
    return default_key()


def totp_device_for(user: Any, key: str) -> TOTPDevice:
    """An unsaved device for `key`: its otpauth:// URI for the set-up page."""
    return TOTPDevice(user=user, key=key, name="Authenticator app", confirmed=False)


def _new_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def _code(raw: str) -> int | None:
    digits = raw.strip().replace(" ", "")
    return int(digits) if digits.isdigit() and len(digits) == 6 else None


@transaction.atomic
def totp_confirm(user: Any, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Save the authenticator for `key` once a code from the app matches; fresh
    recovery codes (shown once). An earlier authenticator is replaced."""
    device = totp_device_for(user, key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    number = _code(code)
    if number is None or not totp.verify(number, device.tolerance):
        raise Invalid("that code did not match: check the app's clock and try again", field="code")
    TOTPDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.last_t = totp.t()
    device.save()
    codes = _new_codes(user)
    record(user, "auth.2fa_enabled", user, after={"device": device.name})
    return device, codes


@transaction.atomic
def recovery_codes_issue(user: Any) -> list[str]:
    """Replace `user`'s recovery codes (the old ones stop working)."""
    codes = _new_codes(user)
    record(user, "auth.recovery_codes_issued", user, after={"count": len(codes)})
    return codes


@transaction.atomic
def otp_verified(user: Any, device: Any) -> None:
    """Audit a successful second factor (a recovery code is used up by django-otp)."""
    if isinstance(device, StaticDevice):
        left = StaticToken.objects.filter(device=device).count()
        record(user, "auth.recovery_code_used", user, after={"codes_left": left})


@transaction.atomic
def two_factor_remove(user: Any, *, actor: Any) -> None:
    """Remove the authenticator and the recovery codes (an admin may, for a lost phone)."""
    found = TOTPDevice.objects.filter(user=user).exists()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if found:
        record(actor, "auth.2fa_removed", user, before={"device": "Authenticator app"})


# Throttling -------------------------------------------------------------------------------


def signin_locked_out(username: str, ip: str | None, cool_off: timedelta) -> None:
    """Audit a lockout once per account and address while it lasts."""
    since = timezone.now() - cool_off
    label = (username or "")[:200] or "(no username)"
    if Event.objects.filter(
        action="auth.locked_out", actor_label=label, created_at__gte=since, after__ip=ip
    ).exists():
        return
    user = get_user_model().objects.filter(username=username).first() if username else None
    if user is not None:
        record(user, "auth.locked_out", user, after={"ip": ip})
        return
    Event.objects.create(
        created_at=timezone.now(),
        actor_label=label,
        action="auth.locked_out",
        object_type="auth.user",
        object_id="",
        after={"ip": ip},
    )
