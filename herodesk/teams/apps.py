from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "herodesk.teams"
    label = "teams"
