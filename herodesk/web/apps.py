from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "herodesk.web"
    label = "web"
