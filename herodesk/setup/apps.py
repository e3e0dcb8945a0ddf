from django.apps import AppConfig


class SetupConfig(AppConfig):
    name = "herodesk.setup"
    label = "setup"
    verbose_name = "Setup (config as code)"
