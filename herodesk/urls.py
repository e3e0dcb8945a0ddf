from django.contrib import admin
from django.urls import include, path

from herodesk.api.community import community_api
from herodesk.api.main import api, redoc
from herodesk.web.views.metrics import metrics

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/redoc", redoc, name="api-redoc"),
    path("api/v1/", api.urls),
    path("metrics", metrics, name="metrics"),
    path("hooks/", include("herodesk.intake.urls")),
    path("community/api/", community_api.urls),
    path("community/", include("herodesk.web.community.urls")),
    path("", include("herodesk.rotations.urls")),
    path("", include("herodesk.web.handoff_urls")),
    path("", include("herodesk.web.oidc_urls")),
    path("", include("herodesk.web.urls")),
]
