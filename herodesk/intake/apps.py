from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "herodesk.intake"
    label = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        # ready: receivers import models, which Django loads only after this app
        # registry is populated; ready() is its documented place for signal wiring.
        from herodesk.intake import registry, triage
        from herodesk.tickets import signals

        signals.ticket_created.connect(
            triage.on_ticket_created, dispatch_uid="intake.triage.suggestions"
        )
        assert registry.SPECS  # importing the registry registered the channels
