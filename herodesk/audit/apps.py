from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "herodesk.audit"
    label = "audit"
