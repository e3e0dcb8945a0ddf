"""django-axes glue: the client address, the lockout answer.

Settings (herodesk/settings.py): failures are counted per account and per
address (`AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]`); after
HERODESK_LOGIN_FAILURE_LIMIT failures within HERODESK_LOGIN_LOCKOUT_MINUTES
both the account and the address are refused until that time has passed
(an admin can unlock earlier with `herodesk axes_reset_username NAME`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind HERODESK_PROXY_COUNT trusted proxies the address
    they saw (counted from the right of X-Forwarded-For, which a client can forge
    on the left)."""
    hops = int(getattr(settings, "HERODESK_PROXY_COUNT", 0) or 0)
    remote = request.META.get("REMOTE_ADDR") or None
    if hops <= 0:
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [p for p in forwarded if p]
    if len(forwarded) >= hops:
        return forwarded[-hops]
    return remote


def minutes() -> int:
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    return int(cool_off.total_seconds() // 60) if cool_off else 0


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """429 with a page that says what happened and when to try again."""
    wait = minutes()
    message = (
        "Too many failed sign-in attempts for this account or from this address. "
        + (f"Try again in {wait} minutes" if wait else "Ask an admin to unlock it")
        + ", or ask an admin to unlock the account."
    )
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        return HttpResponse(
            f'{{"detail": "{message}"}}', status=429, content_type="application/json"
        )
    html = render_to_string("registration/locked_out.html", {"message": message}, request)
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(wait * 60 or 3600)
    return response
