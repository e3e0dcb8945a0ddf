"""Commands import only what they use (issue 17): the REST APIs load on their
first request, `herodesk who` and `herodesk check` leave them (and the heavy
libraries behind signal receivers, admin actions and single sign-on) unloaded,
and `herodesk check --deploy` still checks every API pattern.

Each case runs in a fresh interpreter: the test process has imported everything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from herodesk.lib.lazyurls import lazy_include

HEAVY = (
    "ninja",
    "pydantic",
    "herodesk.api.main",
    "herodesk.api.community",
    "slack_sdk",
    "icalendar",
    "segno",
    "requests",
    "mozilla_django_oidc",
    "markdown_it",
    "email_validator",
    "prometheus_client",
    "herodesk.playbooks.review",
)


# What `django.setup()`, `herodesk who` and `herodesk check` need not load either.
ACTIONS = (
    "herodesk.tickets.actions",
    "herodesk.playbooks.actions",
    "herodesk.rotations.actions",
    "herodesk.community.actions",
    "herodesk.reports.digest",
    "holidays",
)


def loaded_after(code: str, tmp_path: Path, modules: tuple[str, ...] = HEAVY) -> dict[str, bool]:
    """Run `code` after django.setup() in a new process; which of `modules` loaded."""
    script = (
        "import os, sys, json, django\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'herodesk.settings'\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        f"{code}\n"
        f"print(json.dumps({{m: m in sys.modules for m in {list(modules)!r}}}))\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "HERODESK_VAR_DIR": str(tmp_path),
    }
    env.pop("HERODESK_TESTING", None)
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def test_check_and_who_leave_the_api_and_heavy_libraries_unloaded(tmp_path: Path) -> None:
    code = (
        "call_command('migrate', verbosity=0)\n"
        "call_command('check')\n"
        "call_command('who')\n"
        "from django.urls import reverse\n"
        "assert reverse('queue') == '/queue/'\n"
    )
    loaded = loaded_after(code, tmp_path)
    assert [m for m, yes in loaded.items() if yes] == [], loaded


def test_who_loads_no_actions_and_no_holiday_tables(tmp_path: Path) -> None:
    """Signal receivers and admin modules import their work when it happens."""
    code = "call_command('migrate', verbosity=0)\ncall_command('who')\n"
    loaded = loaded_after(code, tmp_path, HEAVY + ACTIONS)
    assert [m for m, yes in loaded.items() if yes] == [], loaded


# The desk's views and the admin's modules: loaded on first use (herodesk/urls.py).
VIEWS = (
    "herodesk.web.urls",
    "herodesk.web.views.queue",
    "herodesk.web.views.handoff",
    "herodesk.rotations.views",
    "herodesk.intake.views",
    "herodesk.web.admin_urls",
)
ADMINS = ("herodesk.intake.admin", "herodesk.notify.admin", "django_otp.admin")


def test_check_imports_no_view_and_who_no_admin_module(tmp_path: Path) -> None:
    """`check` imports the root URLconf, but the desk's URLconfs (views, actions)
    load on first use; the admin check discovers the admin modules, `who` does not."""
    code = "call_command('migrate', verbosity=0)\ncall_command('who')\n"
    loaded = loaded_after(code, tmp_path, ACTIONS + VIEWS + ADMINS)
    assert [m for m, yes in loaded.items() if yes] == [], loaded
    loaded = loaded_after("call_command('check')\n", tmp_path, ACTIONS + VIEWS + ADMINS)
    assert [m for m, yes in loaded.items() if yes] == list(ADMINS), loaded


def test_the_admin_check_still_checks_the_discovered_model_admins() -> None:
    from django.contrib import admin
    from django.core import checks

    from herodesk.lib.lazyadmin import discover
    from herodesk.tickets.models import Ticket

    discover()  # as the check does; the swap below must outlive it

    class Broken(admin.ModelAdmin):  # type: ignore[type-arg]
        list_display = ("no_such_field",)

    site_registry = admin.site._registry
    original = site_registry.get(Ticket)
    site_registry[Ticket] = Broken(Ticket, admin.site)
    try:
        ids = [m.id for m in checks.run_checks(tags=[checks.Tags.admin])]
    finally:
        if original is None:
            del site_registry[Ticket]
        else:
            site_registry[Ticket] = original
    assert "admin.E108" in ids


def test_the_admin_loads_on_first_use(tmp_path: Path) -> None:
    code = (
        "from django.urls import reverse\n"
        "assert reverse('admin:index') == '/admin/'\n"
        "from django.contrib import admin\n"
        "from herodesk.tickets.models import Ticket\n"
        "assert admin.site.is_registered(Ticket)\n"
    )
    loaded = loaded_after(code, tmp_path, ADMINS)
    assert all(loaded.values()), loaded


def test_check_deploy_loads_and_checks_every_api_pattern(tmp_path: Path) -> None:
    code = "call_command('check', deploy=True, fail_level='CRITICAL')\n"
    loaded = loaded_after(code, tmp_path, HEAVY + VIEWS)
    assert loaded["herodesk.api.main"] and loaded["herodesk.api.community"]
    assert all(loaded[m] for m in VIEWS), loaded


def test_the_first_request_loads_the_api(tmp_path: Path) -> None:
    code = (
        "from django.test import Client\n"
        "res = Client().get('/api/v1/openapi.json')\n"
        "assert res.status_code == 200, res.status_code\n"
    )
    assert loaded_after(code, tmp_path)["herodesk.api.main"]


def test_a_lazy_resolver_checks_its_route_only_until_loaded() -> None:
    resolver = lazy_include("nowhere/", "herodesk.no_such_urls", namespace="nowhere")
    assert [m.id for m in resolver.check()] == ["herodesk.E101"]
    assert not resolver.loaded


@pytest.mark.django_db
def test_the_community_api_docs_load_their_assets_from_the_desk(client: Any) -> None:
    """/api/v1/docs and /redoc: web/tests/test_page_truths.py."""
    html = client.get("/community/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in html and "/static/" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
    assert reverse("community_api:openapi-json") == "/community/api/openapi.json"


RECEIVER_MODULES = (
    "herodesk.notify.receivers",
    "herodesk.notify.invitations",
    "herodesk.notify.schedule_notices",
    "herodesk.community.desk",
    "herodesk.community.email_replies",
    "herodesk.community.receivers",
)


def test_receiver_modules_load_on_first_signal_and_connect_nothing_new(tmp_path: Path) -> None:
    """The apps connect these modules' receivers lazily (herodesk/lib/lazysignals.py),
    under the receivers' own dispatch_uids: importing a module must add no receiver
    (else it would be connected at start-up, or a receiver not connected lazily
    would be missed until something imported its module)."""
    code = (
        "import gc, importlib\n"
        "from django.dispatch import Signal\n"
        "signals = [o for o in gc.get_objects() if isinstance(o, Signal)]\n"
        "count = lambda: sum(len(s.receivers) for s in signals)\n"
        "before = count()\n"
        f"loaded_first = [m for m in {list(RECEIVER_MODULES)!r} if m in sys.modules]\n"
        f"for m in {list(RECEIVER_MODULES)!r}: importlib.import_module(m)\n"
        "assert count() == before, (before, count())\n"
        "assert loaded_first == [], loaded_first\n"
    )
    loaded_after(code, tmp_path)


def test_the_cli_starts_with_the_collector_off_and_runs_commands_with_it_on(
    tmp_path: Path,
) -> None:
    """herodesk/cli.py: no collections while the apps load; start-up's objects are
    frozen and collection is back on when the command runs (serve, worker)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "HERODESK_VAR_DIR": str(tmp_path),
    }
    env.pop("HERODESK_TESTING", None)
    # With the collector on, start-up alone runs ~140 collections (`django-admin shell`).
    code = (
        "import gc; print(gc.isenabled(), gc.get_freeze_count() > 50_000, "
        "sum(s['collections'] for s in gc.get_stats()) < 60)"
    )
    out = subprocess.run(
        [sys.executable, "-m", "herodesk", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split()[-3:] == ["True", "True", "True"], out
