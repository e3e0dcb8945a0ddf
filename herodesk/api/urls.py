"""/api/v1/: the REST API's URLconf, imported on first use (herodesk/urls.py)."""

from __future__ import annotations

from herodesk.api.main import api

urlpatterns, _, _ = api.urls
app_name = "api"
