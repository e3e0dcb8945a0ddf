"""What every desk page shares: the role check, the viewer's time zone,
errors turned into pages, htmx detection."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from herodesk.lib.errors import ActionError, Forbidden, NotFound
from herodesk.teams import access

View = Callable[..., HttpResponse]


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def viewer_zone(user: Any) -> ZoneInfo:
    person = getattr(user, "person", None)
    name = person.time_zone if person is not None else settings.HERODESK_DEFAULT_TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def desk_view(fn: View) -> View:
    """Logged in + a staff profile (or admin); pages in the viewer's time zone;
    Forbidden → the 403 page, NotFound → 404."""

    @login_required
    @wraps(fn)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.is_agent(request.user):
            return forbidden(
                request,
                "This account has no staff profile on the desk. Ask an admin to add you to a team.",
            )
        with timezone.override(viewer_zone(request.user)):
            try:
                return fn(request, *args, **kwargs)
            except Forbidden as exc:
                return forbidden(request, exc.message)
            except NotFound as exc:
                raise Http404(exc.message) from None

    return wrapper


def nav_context(request: HttpRequest) -> dict[str, Any]:
    """What the top bar needs (memberships are cached on the user: no query)."""
    user = request.user
    lead_of = [tid for tid, role in access._memberships(user).items() if role == "lead"]
    return {
        "can_settings": access.is_admin(user) or bool(lead_of),
        "is_admin": access.is_admin(user),
    }


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {**nav_context(request), **context}, status=status)


def fail(request: HttpRequest, exc: ActionError, back: str) -> HttpResponse:
    """A refused form: the message on the page it came from."""
    messages.error(request, exc.message)
    return redirect(back)


def next_url(request: HttpRequest, default: str) -> str:
    """The local `next` URL a form came from (POST or GET), else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def int_or_404(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404("not found") from None
    if number < 1 or number > 2**62:
        raise Http404("not found")
    return number
