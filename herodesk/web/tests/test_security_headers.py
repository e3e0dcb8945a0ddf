"""Issue 16 §6: a strict Content-Security-Policy on every page, HSTS when secure
cookies are on (behind a TLS-terminating proxy too), Referrer-Policy,
Permissions-Policy, and a deploy check that refuses insecure production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

pytestmark = pytest.mark.django_db
ROOT = Path(django_settings.BASE_DIR)


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.parametrize("path", ["/login/", "/queue/", "/schedule/", "/account/", "/admin/"])
def test_every_page_has_a_strict_content_security_policy(client, admin, path):
    client.force_login(admin)
    res = client.get(path, follow=True)
    assert res.status_code == 200, (path, res.status_code)
    csp = directives(res["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    for name in ("script-src", "style-src"):
        sources = csp.get(name, csp["default-src"])
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, (name, csp)
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]


def test_the_api_and_pages_send_referrer_and_permissions_policies(client, hero):
    for path in ("/login/", "/api/v1/openapi.json"):
        res = client.get(path)
        assert res["Referrer-Policy"] == "same-origin"
        policy = res["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy


def settings_from_env(**env: str) -> dict[str, str]:
    """Import herodesk.settings in a fresh interpreter with `env`; a few values back."""
    code = (
        "import json, herodesk.settings as s; print(json.dumps({k: repr(getattr(s, k, None)) "
        "for k in ('SECURE_PROXY_SSL_HEADER', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_SECURE', 'SECURE_SSL_REDIRECT')}))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("HERODESK_SECURE")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    import json

    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_secure_cookies_behind_a_proxy_turn_on_hsts_from_the_environment():
    values = settings_from_env(
        HERODESK_SECURE_COOKIES="true", HERODESK_PROXY_SSL_HEADER="X-Forwarded-Proto"
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == repr(("HTTP_X_FORWARDED_PROTO", "https"))
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31_536_000
    plain = settings_from_env(HERODESK_SECURE_COOKIES="false")
    assert plain["SECURE_PROXY_SSL_HEADER"] == "None" and plain["SECURE_HSTS_SECONDS"] == "0"


def test_a_bad_proxy_header_value_stops_start_up():
    with pytest.raises(subprocess.CalledProcessError) as info:
        settings_from_env(HERODESK_PROXY_SSL_HEADER="X Forwarded Proto!")
    assert "HERODESK_PROXY_SSL_HEADER" in info.value.stderr


def test_hsts_is_sent_for_https_requests_through_the_proxy(settings, hero):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31_536_000
    res = Client().get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert res["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in Client().get("/login/")


def test_the_deploy_check_refuses_insecure_production_settings(settings):
    settings.DEBUG = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.BASE_URL = "http://desk.example.com"
    with pytest.raises(SystemCheckError) as info:
        call_command("check", deploy=True)
    text = str(info.value)
    for word in ("HERODESK_DEBUG", "HERODESK_SECURE_COOKIES", "HERODESK_BASE_URL"):
        assert word in text


def test_the_deploy_check_passes_a_production_setup(settings, monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # set for the browser tests
    settings.DEBUG = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.BASE_URL = "https://desk.example.com"
    settings.ALLOWED_HOSTS = ["desk.example.com"]
    settings.HERODESK_REQUIRE_2FA = True
    call_command("check", deploy=True, fail_level="ERROR")
