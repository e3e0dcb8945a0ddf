from django.apps import AppConfig

from herodesk.lib import channels

# Channels the tickets app itself offers (not intake adapters): tickets made
# through the API and on the desk's own form.
API = channels.ChannelSpec(name="api", label="API", icon="code")
WEB = channels.ChannelSpec(name="web", label="Web", icon="globe")


class TicketsConfig(AppConfig):
    name = "herodesk.tickets"
    label = "tickets"

    def ready(self) -> None:
        channels.register(API, WEB)
        # ready: receivers import models, loaded only once the app registry is
        # populated; ready() is Django's documented place for signal wiring.
        from herodesk.tickets import receivers  # noqa: F401
