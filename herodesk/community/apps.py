from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "herodesk.community"
    label = "community"
    verbose_name = "Community questions"

    def ready(self) -> None:
        from herodesk.community import desk, email_replies, receivers  # noqa: F401  # ready: connect the receivers
