from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from herodesk.lib.lazyurls import lazy_include
from herodesk.web.views.metrics import metrics


def redoc(request: HttpRequest) -> HttpResponse:
    """/api/v1/redoc: the OpenAPI document in ReDoc."""
    # lazy: the API (django-ninja, every schema) loads on its first request,
    # not for commands such as `herodesk who` (herodesk/lib/lazyurls.py).
    from herodesk.api.main import redoc as page

    return page(request)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/redoc", redoc, name="api-redoc"),
    # The REST APIs are imported on first use (herodesk/lib/lazyurls.py).
    lazy_include("api/v1/", "herodesk.api.urls", namespace="api"),
    path("metrics", metrics, name="metrics"),
    path("hooks/", include("herodesk.intake.urls")),
    lazy_include("community/api/", "herodesk.api.community_urls", namespace="community_api"),
    path("community/", include("herodesk.web.community.urls")),
    path("", include("herodesk.rotations.urls")),
    path("", include("herodesk.web.handoff_urls")),
    path("", include("herodesk.web.oidc_urls")),
    path("", include("herodesk.web.urls")),
]
