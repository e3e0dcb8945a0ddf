"""`herodesk check --deploy`: refuse settings that are unsafe in production.

Django's own deploy checks only warn; these are errors (the command exits
non-zero), each naming the environment variable to change. Run it in the
release pipeline, or before starting the server: docs/operations.md,
"Production checklist".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


def _errors() -> list[Error]:
    found = []
    if settings.DEBUG:
        found.append(("HERODESK_DEBUG is on: tracebacks and settings leak to visitors", "E001"))
    if not settings.SESSION_COOKIE_SECURE:
        found.append(
            (
                "HERODESK_SECURE_COOKIES is off: session and CSRF cookies travel over plain HTTP",
                "E002",
            )
        )
    if not getattr(settings, "BASE_URL", "").startswith("https://"):
        found.append(("HERODESK_BASE_URL is not https://: links in mail and feeds leak", "E003"))
    if settings.SESSION_COOKIE_SECURE and not settings.SECURE_HSTS_SECONDS:
        found.append(("HERODESK_HSTS_SECONDS is 0: browsers may still try plain HTTP", "E004"))
    if "*" in settings.ALLOWED_HOSTS:
        found.append(("HERODESK_ALLOWED_HOSTS contains '*': any Host header is trusted", "E005"))
    return [Error(text, id=f"herodesk.{code}") for text, code in found]


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    problems: list[Any] = list(_errors())
    if not getattr(settings, "HERODESK_REQUIRE_2FA", False):
        problems.append(
            Warning(
                "HERODESK_REQUIRE_2FA is off: staff may sign in with a password alone",
                hint="Set HERODESK_REQUIRE_2FA=true unless every sign-in goes through SSO.",
                id="herodesk.W001",
            )
        )
    return problems
