from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "herodesk.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # ready: receivers import models, loaded only once the app registry is
        # ready; ready() is Django's place for signal wiring.
        from herodesk.reports import receivers  # noqa: F401
