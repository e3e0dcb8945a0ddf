from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "herodesk.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # ready: the digest module imports models, loaded only once the app
        # registry is ready; ready() is Django's place for signal wiring.
        from herodesk.notify.signals import handoff_reported
        from herodesk.reports import digest

        handoff_reported.connect(digest.on_handoff, dispatch_uid="reports.digest")
