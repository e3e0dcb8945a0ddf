from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "herodesk.tickets"
    label = "tickets"
