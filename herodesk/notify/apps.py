from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "herodesk.notify"
    label = "notify"
