from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "herodesk.intake"
    label = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        from herodesk.intake import triage
        from herodesk.tickets import signals

        signals.ticket_created.connect(
            triage.on_ticket_created, dispatch_uid="intake.triage.suggestions"
        )
