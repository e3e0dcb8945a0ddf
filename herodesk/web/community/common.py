"""What every community page shares: who is looking, and errors turned into pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from herodesk.community import session
from herodesk.community.authors import Author
from herodesk.community.errors import TooMany
from herodesk.lib.errors import ActionError


def context(request: HttpRequest) -> dict[str, Any]:
    author = session.author(request)
    return {
        "author": author,
        "community_account": session.account(request),
        "is_moderator": bool(author and author.is_moderator),
        "login_url": login_url(request),
    }


def login_url(request: HttpRequest) -> str:
    return f"{reverse('community:login')}?next={quote(request.get_full_path())}"


def page(
    request: HttpRequest, template: str, ctx: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, f"community/{template}", {**context(request), **ctx}, status=status)
    response["Cache-Control"] = "private, no-cache"
    return response


def error_page(request: HttpRequest, template: str, ctx: dict[str, Any], exc: ActionError) -> Any:
    """Re-show the form with the refusal (its 4xx status; Retry-After for rate limits)."""
    response = page(request, template, {**ctx, "error": exc.message, "error_field": exc.field},
                    status=exc.status_code)  # fmt: skip
    if isinstance(exc, TooMany):
        response["Retry-After"] = str(exc.retry_after)
    return response


def next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def author_or_none(request: HttpRequest) -> Author | None:
    return session.author(request)
