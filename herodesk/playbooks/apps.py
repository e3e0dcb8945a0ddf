from django.apps import AppConfig


class PlaybooksConfig(AppConfig):
    name = "herodesk.playbooks"
    label = "playbooks"
    verbose_name = "Playbooks"

    def ready(self) -> None:
        # ready: receivers import models, which Django loads only after the app
        # registry is populated; ready() is its documented place for signal wiring.
        # Replies and bounces open gates; T1 escalations get the CS owner.
        from herodesk.playbooks import receivers  # noqa: F401
