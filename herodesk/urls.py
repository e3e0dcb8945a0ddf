from django.http import HttpRequest, HttpResponse
from django.urls import path

from herodesk.lib.lazyurls import lazy_include
from herodesk.web.views.metrics import metrics


def redoc(request: HttpRequest) -> HttpResponse:
    """/api/v1/redoc: the OpenAPI document in ReDoc."""
    # lazy: the API (django-ninja, every schema) loads on its first request,
    # not for commands such as `herodesk who` (herodesk/lib/lazyurls.py).
    from herodesk.api.main import redoc as page

    return page(request)


urlpatterns = [
    # The admin and the desk's own URLconfs load on first use too: `herodesk check`
    # then imports no view (`check --deploy` checks every pattern; lib/lazyurls.py).
    lazy_include("admin/", "herodesk.web.admin_urls", namespace="admin"),
    path("api/v1/redoc", redoc, name="api-redoc"),
    # The REST APIs are imported on first use (herodesk/lib/lazyurls.py).
    lazy_include("api/v1/", "herodesk.api.urls", namespace="api"),
    path("metrics", metrics, name="metrics"),
    lazy_include("hooks/", "herodesk.intake.urls", namespace="hooks"),
    lazy_include("community/api/", "herodesk.api.community_urls", namespace="community_api"),
    lazy_include("community/", "herodesk.web.community.urls", namespace="community"),
    lazy_include("", "herodesk.rotations.urls", namespace="rotations"),
    lazy_include("", "herodesk.web.handoff_urls", namespace="notify"),
    lazy_include("", "herodesk.web.oidc_urls", namespace=None),
    lazy_include("", "herodesk.web.urls", namespace=None),
]
