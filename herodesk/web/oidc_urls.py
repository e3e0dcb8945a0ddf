"""Single sign-on paths (mounted only when HERODESK_OIDC_ISSUER is set)."""

from __future__ import annotations

from django.urls import path

from herodesk.web.oidc import CallbackView, SignInView

urlpatterns = [
    path("oidc/sign-in/", SignInView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", CallbackView.as_view(), name="oidc_authentication_callback"),
]
