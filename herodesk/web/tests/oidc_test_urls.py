"""The desk's URLs plus the single sign-on paths (tests turn sign-on on)."""

from __future__ import annotations

from django.urls import include, path

from herodesk.urls import urlpatterns as desk

urlpatterns = [path("", include("herodesk.web.oidc_urls")), *desk]
