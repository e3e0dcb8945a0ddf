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


# What `django.setup()` and `herodesk who` need not load either (views load them for `check`).
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


def test_check_deploy_loads_and_checks_every_api_pattern(tmp_path: Path) -> None:
    code = "call_command('check', deploy=True, fail_level='CRITICAL')\n"
    loaded = loaded_after(code, tmp_path)
    assert loaded["herodesk.api.main"] and loaded["herodesk.api.community"]


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
