from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "herodesk.demo"
    label = "demo"
    verbose_name = "Demo data"
