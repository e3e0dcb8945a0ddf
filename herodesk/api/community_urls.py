"""/community/api/: the community API's URLconf, imported on first use (herodesk/urls.py)."""

from __future__ import annotations

from herodesk.api.community import community_api

urlpatterns, _, _ = community_api.urls
app_name = "community_api"
