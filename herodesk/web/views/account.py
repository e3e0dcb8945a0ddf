"""/account/: your sign-in security — two-factor set-up and verification,
recovery codes, and the sessions you have open (each revocable)."""

from __future__ import annotations

from typing import Any

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from herodesk.lib.errors import ActionError, Invalid
from herodesk.security import actions, policy, queries
from herodesk.web.views.common import next_url, page

PENDING_KEY = "hd_totp_pending"
PENDING_TRIES = "hd_totp_tries"
MAX_SETUP_TRIES = 5
NO_MATCH = "That code did not match. Codes change every 30 seconds; a recovery code works once."


def _group(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    sessions = queries.open_sessions(user)
    return page(
        request,
        "web/account/home.html",
        {
            "two_factor": queries.two_factor(user),
            "required": getattr(settings, "HERODESK_REQUIRE_2FA", False)
            and policy.is_staff_account(user),
            "sessions": sessions,
            "current_key": request.session.session_key,
        },
    )


def _setup_page(request: HttpRequest, key: str, error: str = "", status: int = 200) -> Any:
    device = actions.totp_device_for(request.user, key)
    uri = device.config_url
    secret = uri.split("secret=", 1)[1].split("&", 1)[0]
    # lazy: segno (~60 ms to import) loads with the first QR code, not at every start-up.
    import segno

    qr = segno.make(uri, error="m").svg_inline(scale=4, border=2, omitsize=False)
    context = {
        "uri": uri,
        "secret": _group(secret),
        "qr": qr,
        "error": error,
        "next": next_url(request, ""),
    }
    return page(request, "web/account/setup.html", context, status=status)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """GET: a new secret (kept in the session) with its QR code; POST: confirm a code."""
    if request.method != "POST" or PENDING_KEY not in request.session:
        request.session[PENDING_KEY] = actions.totp_key()
        request.session[PENDING_TRIES] = 0
        return _setup_page(request, request.session[PENDING_KEY])
    key = request.session[PENDING_KEY]
    try:
        device, codes = actions.totp_confirm(request.user, key, request.POST.get("code", ""))
    except Invalid as exc:
        tries = int(request.session.get(PENDING_TRIES, 0)) + 1
        request.session[PENDING_TRIES] = tries
        if tries >= MAX_SETUP_TRIES:  # start over with a new secret
            del request.session[PENDING_KEY]
            return _setup_page(request, actions.totp_key(), "Too many wrong codes.", 422)
        return _setup_page(request, key, exc.message, 422)
    del request.session[PENDING_KEY]
    django_otp.login(request, device)
    request.session[policy.MFA_KEY] = policy.DEVICE
    return page(request, "web/account/codes.html", {"codes": codes, "new": True})


def _verify_with(user: Any, code: str) -> tuple[Any, str]:
    """The device that accepts `code` (authenticator first, then a recovery
    code), or None and why not. Wrong codes slow the next tries down
    (django-otp doubles the wait after each failure)."""
    code = code.strip().replace(" ", "").lower()
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    device = model.objects.filter(user=user, confirmed=True).first()
    if not code or device is None:
        return None, NO_MATCH
    allowed, _data = device.verify_is_allowed()
    if not allowed:
        return None, "Too many wrong codes in a row: wait a few seconds, then try again."
    if django_otp.verify_token(user, device.persistent_id, code):
        return device, ""
    return None, NO_MATCH


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    target = next_url(request, "/")
    if not policy.needs_code(request):
        return redirect(target)
    if policy.state(request) == policy.REQUIRED and not policy.has_device(request.user):
        return redirect(f"/account/two-factor/setup/?next={target}")
    error, status = "", 200
    if request.method == "POST":
        device, error = _verify_with(request.user, request.POST.get("code", ""))
        if device is not None:
            django_otp.login(request, device)
            actions.otp_verified(request.user, device)
            return redirect(target)
        status = 422
    return page(request, "web/account/verify.html", {"error": error, "next": target}, status)


@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not queries.two_factor(request.user)["enabled"]:
        messages.error(request, "Set up an authenticator app first.")
        return redirect("account")
    codes = actions.recovery_codes_issue(request.user)
    return page(request, "web/account/codes.html", {"codes": codes, "new": False})


@require_POST
@login_required
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    if getattr(settings, "HERODESK_REQUIRE_2FA", False) and policy.is_staff_account(request.user):
        messages.error(request, "Two-factor sign-in is required on this desk; it stays on.")
        return redirect("account")
    actions.two_factor_remove(request.user, actor=request.user)
    request.session[policy.MFA_KEY] = policy.NONE
    messages.success(request, "Two-factor sign-in is off. Your authenticator entry can go.")
    return redirect("account")


@require_POST
@login_required
def session_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        actions.session_revoke(request.user, pk, actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("account")
    messages.success(request, "That session is signed out.")
    return redirect("account")


@require_POST
@login_required
def sessions_revoke_others(request: HttpRequest) -> HttpResponse:
    count = actions.sessions_revoke_all(
        request.user, actor=request.user, keep=request.session.session_key or ""
    )
    messages.success(request, f"Signed out {count} other session{'s' if count != 1 else ''}.")
    return redirect("account")
