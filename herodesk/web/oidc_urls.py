"""Single sign-on paths (they answer only when HERODESK_OIDC_ISSUER is set)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path


@cache
def _views() -> tuple[Any, Any]:
    # lazy: mozilla-django-oidc, requests and PyJWT load with the first
    # single sign-on request, not at every start-up (CLI cold start).
    from herodesk.web.oidc import CallbackView, SignInView

    return SignInView.as_view(), CallbackView.as_view()


def sign_in(request: HttpRequest) -> HttpResponse:
    return _views()[0](request)


def callback(request: HttpRequest) -> HttpResponse:
    return _views()[1](request)


urlpatterns = [
    path("oidc/sign-in/", sign_in, name="oidc_authentication_init"),
    path("oidc/callback/", callback, name="oidc_authentication_callback"),
]
