"""Request-level security: the second factor, session activity, one header.

Order in settings.MIDDLEWARE: after AuthenticationMiddleware and
django_otp's OTPMiddleware (which adds `request.user.is_verified()`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

from herodesk.security import actions, policy
from herodesk.security.receivers import SEEN_KEY, SESSION_ROW, track

SETUP_URL = "/account/two-factor/setup/"
VERIFY_URL = "/account/two-factor/verify/"
# Reachable while the code is still owed: the two-factor pages, signing out, assets.
OPEN_PREFIXES = ("/account/two-factor/", "/logout/", "/static/", "/admin/logout/", "/login/")

Handler = Callable[[HttpRequest], HttpResponse]


class TwoFactorMiddleware:
    """A session that owes a one-time code sees only the two-factor pages.

    Pages redirect there (with ?next=); the API treats the session as not
    signed in (401), so a stolen password alone reaches nothing. Bearer
    tokens are their own credential and are not affected.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if policy.needs_code(request) and not request.path.startswith(OPEN_PREFIXES):
            if request.path.startswith("/api/"):
                request.user = AnonymousUser()
            else:
                return self._redirect(request)
        return self.get_response(request)

    @staticmethod
    def _redirect(request: HttpRequest) -> HttpResponse:
        target = SETUP_URL if policy.state(request) == policy.REQUIRED else VERIFY_URL
        if policy.state(request) == policy.REQUIRED and policy.has_device(request.user):
            target = VERIFY_URL
        nxt = request.get_full_path() if request.method == "GET" else "/"
        return HttpResponseRedirect(f"{target}?{urlencode({'next': nxt})}")


class SessionActivityMiddleware:
    """Keeps the session list current: registers sessions that began before it
    existed and notes activity at most every few minutes (no query otherwise)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is None or user is None or not user.is_authenticated:
            return response
        if not session.session_key:  # signed out during this request
            return response
        now = timezone.now()
        if SESSION_ROW not in session:
            track(request, user, "session")
            return response
        seen = session.get(SEEN_KEY)
        if not seen or now - datetime.fromisoformat(seen) > actions.TOUCH_EVERY:
            actions.session_touched(session.session_key, now)
            session[SEEN_KEY] = now.isoformat()
        return response


class PermissionsPolicyMiddleware:
    """`Permissions-Policy`: the desk uses no camera, microphone, location, …"""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        policy_value = getattr(settings, "HERODESK_PERMISSIONS_POLICY", "")
        if policy_value and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy_value
        return response
