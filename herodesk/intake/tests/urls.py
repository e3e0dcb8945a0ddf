"""A URLconf with just the intake routes (hooks and the API)."""

from django.urls import include, path

from herodesk.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("hooks/", include("herodesk.intake.urls")),
]
