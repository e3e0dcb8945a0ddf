from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "herodesk.notify"
    label = "notify"
    verbose_name = "Jobs and notifications"

    def ready(self) -> None:
        # ready: receivers import models, which Django loads only after this app
        # registry is populated; ready() is its documented place for signal wiring.
        # Connect the ticket and rotation signal receivers.
        from herodesk.notify import invitations, receivers, schedule_notices  # noqa: F401
