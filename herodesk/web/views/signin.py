"""Signing in: the password form (unless turned off), the single sign-on
button, and the welcome page where an invitation's link sets a password."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from herodesk.lib.errors import ActionError, Invalid
from herodesk.lib.oidc import current
from herodesk.teams import actions as team_actions

PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "oidc": current()}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not current().password_login:
            messages.error(request, f"Password sign-in is off here; use {current().label}.")
            return redirect("login")
        return super().post(request, *args, **kwargs)


def _landing(invitation: Any) -> str:
    if invitation.team is not None:
        return reverse("team_queue", args=[invitation.team.slug])
    return reverse("queue")


def welcome(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation's link: choose a password (once), then straight to the queue."""
    try:
        invitation = team_actions.invitation_for(token)
    except ActionError as exc:
        return render(request, "web/welcome.html", {"problem": exc.message}, status=410)
    context: dict[str, Any] = {"invitation": invitation, "oidc": current()}
    if request.method == "POST" and current().password_login:
        password = request.POST.get("password", "")
        try:
            if password != request.POST.get("password2", ""):
                raise Invalid("the two passwords differ", field="password2")
            user = team_actions.invitation_accept(token, password=password)
        except ActionError as exc:
            context["error"] = exc.message
            return render(request, "web/welcome.html", context, status=422)
        login(request, user, backend=PASSWORD_BACKEND)
        messages.success(request, "Welcome to HeroDesk! Your password is set.")
        return redirect(_landing(invitation))
    return render(request, "web/welcome.html", context)
