"""The operators' admin site, discovered on first use instead of at start-up.

Django's `AdminConfig.ready()` imports every installed app's `admin.py` when
the app registry is populated, so every command (`herodesk who` too) paid for
the admin's model admins, their forms and what they import (the intake
registry, the OTP and axes admins …). Here `django.contrib.admin` is installed
through `AdminConfig` below: the admin's URLconf (`herodesk.web.admin_urls`,
included lazily by `herodesk/urls.py`) discovers the `admin.py` modules when
a request or a `reverse("admin:…")` first reaches it, and the admin system
check discovers them before checking them, so `herodesk check` checks every
registered model admin as before.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.apps import SimpleAdminConfig
from django.core import checks


def discover() -> None:
    """Import every installed app's admin module (once; later calls do nothing)."""
    # lazy: django.contrib.admin is imported by the app registry anyway; the
    # admin modules it discovers are what is deferred.
    from django.contrib import admin

    admin.autodiscover()


def check_admin_app(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Django's admin check (admin.E…), on the discovered model admins."""
    from django.contrib.admin.checks import check_admin_app as django_check  # lazy: as above

    discover()
    return list(django_check(app_configs, **kwargs))


class AdminConfig(SimpleAdminConfig):
    """`django.contrib.admin` with discovery on first use (see the module docstring)."""

    def ready(self) -> None:
        from django.contrib.admin.checks import check_dependencies  # lazy: as above

        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_admin_app, checks.Tags.admin)
