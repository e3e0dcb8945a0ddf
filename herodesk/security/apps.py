from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "herodesk.security"
    label = "security"
    verbose_name = "Sign-in security"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # ready: connect the sign-in receivers and register the deploy checks.
        from herodesk.security import checks, receivers  # noqa: F401
