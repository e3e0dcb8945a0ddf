from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "herodesk.core"
    label = "core"
    verbose_name = "HeroDesk core commands"
