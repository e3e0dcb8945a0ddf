from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "herodesk.intake"
    label = "intake"
