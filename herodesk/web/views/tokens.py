"""API tokens page: everyone's own tokens (named, optional expiry, shown once,
revoked at once); admins see and revoke anyone's (`?username=`)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from herodesk.lib.errors import ActionError, Forbidden, Invalid
from herodesk.teams import access
from herodesk.teams.actions import token_create, token_revoke
from herodesk.teams.models import ApiToken
from herodesk.web.views.common import desk_view, int_or_404, page, viewer_zone


def _owner(request: HttpRequest) -> Any:
    username = request.GET.get("username") or request.POST.get("username") or ""
    user: Any = request.user
    if not username or username == user.get_username():
        return get_user_model().objects.get(pk=user.pk)
    if not access.is_admin(user):
        raise Forbidden("Only an admin can see someone else's tokens.")
    owner = get_user_model().objects.filter(username=username).first()
    if owner is None:
        raise Http404(f"no person {username}")
    return owner


def _expiry(value: str, zone: ZoneInfo) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise Invalid("the expiry is a date (YYYY-MM-DD)", field="expires_on") from None
    return datetime.combine(day, time(23, 59), zone)


def _page(request: HttpRequest, owner: Any, **extra: Any) -> HttpResponse:
    rows = ApiToken.objects.filter(user=owner).order_by("-created_at", "-id")
    now = timezone.now()
    tokens = [
        (t, "revoked" if t.revoked_at else "active" if t.works(now) else "expired") for t in rows
    ]
    mine = owner.pk == request.user.pk
    return page(
        request,
        "web/account/tokens.html",
        {"owner": owner, "mine": mine, "tokens": tokens, **extra},
    )


@desk_view
def tokens_page(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    if request.method != "POST":
        return _page(request, owner)
    if owner.pk != request.user.pk:
        raise Forbidden("People make their own tokens.")
    try:
        expires = _expiry(request.POST.get("expires_on", ""), viewer_zone(request.user))
        token, raw = token_create(
            owner, name=request.POST.get("name", ""), expires_at=expires, actor=request.user
        )
    except ActionError as exc:
        messages.error(request, exc.message)
        return _page(request, owner)
    # Shown on this answer only: never stored, never in a redirect or a message.
    return _page(request, owner, new_token=raw, new_name=token.name)


@desk_view
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    row = ApiToken.objects.select_related("user").filter(pk=int_or_404(pk)).first()
    if row is None or (row.user_id != request.user.pk and not access.is_admin(request.user)):
        raise Http404("no such token")
    token_revoke(row, actor=request.user)
    messages.success(request, f"Token “{row.name}” ({row.prefix}…) is revoked; it no longer works.")
    back = reverse("tokens")
    if row.user_id != request.user.pk:
        back += f"?username={row.user.get_username()}"
    return redirect(back)
