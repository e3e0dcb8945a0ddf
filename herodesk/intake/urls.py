"""Webhook endpoints, mounted at /hooks/ (SPEC §13)."""

from django.urls import path

from herodesk.intake import registry, views

app_name = "hooks"

urlpatterns = [
    path(name, views.receive, {"channel": name}, name=name) for name in registry.webhook_names()
]
