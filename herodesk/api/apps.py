from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "herodesk.api"
    label = "api"
    verbose_name = "REST API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # ready: the API's URLconfs load on first use; their patterns are
        # checked by `herodesk check --deploy` (herodesk/lib/lazyurls.py).
        from herodesk.lib.lazyurls import register_checks

        register_checks()
