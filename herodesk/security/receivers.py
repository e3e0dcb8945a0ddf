"""Sign-in signals → the session list and the audit log (connected in apps.ready)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from herodesk.security import actions, policy
from herodesk.security.throttle import client_ip

SESSION_ROW = "hd_session"
SEEN_KEY = "hd_seen"  # when the row's last_seen_at was last written (ISO 8601)


def user_agent(request: Any) -> str:
    return str(request.META.get("HTTP_USER_AGENT", ""))


def track(request: Any, user: Any, method: str) -> None:
    """Record the session behind `request` (it must have a key by now)."""
    session = request.session
    if not session.session_key:  # login() gives the session a key; nothing to track without
        return
    row = actions.session_started(
        user,
        session.session_key,
        ip=client_ip(request),
        user_agent=user_agent(request),
        method=method,
    )
    session[SESSION_ROW] = row.pk
    session[SEEN_KEY] = row.last_seen_at.isoformat()


@receiver(user_logged_in, dispatch_uid="herodesk.security.signed_in")
def on_signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    backend = request.session.get(BACKEND_SESSION_KEY, "")
    state = policy.decide(user, backend)
    request.session[policy.MFA_KEY] = state
    track(request, user, "sso" if state == policy.SSO else "password")


@receiver(user_logged_out, dispatch_uid="herodesk.security.signed_out")
def on_signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        actions.session_ended(key)


@receiver(user_locked_out, dispatch_uid="herodesk.security.locked_out")
def on_locked_out(sender: Any, request: Any, username: str, ip_address: str, **kw: Any) -> None:
    actions.signin_locked_out(username, ip_address, settings.AXES_COOLOFF_TIME)
