"""The Content-Security-Policy in real Chromium: the watch every browser test
runs under catches what the policy blocks, and the sign-in and account pages
(QR code included) break nothing."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.db import connections

from herodesk.web.tests.conftest import ARGS, CHROMIUM, WatchedBrowser, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


def wait_for(predicate: Any, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_the_watch_reports_inline_script_and_style_the_policy_blocks(live_server: Any) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        watched = WatchedBrowser(p.chromium.launch(executable_path=CHROMIUM, args=ARGS))
        try:
            page = watched.new_page()
            page.goto(f"{live_server.url}/login/")
            page.evaluate("document.body.setAttribute('style', 'color: red')")
            page.evaluate(
                "() => { const s = document.createElement('script');"
                " s.textContent = 'window.injected = 1'; document.head.appendChild(s); }"
            )
            wait_for(lambda: len(watched.violations) >= 2)
            assert page.evaluate("window.injected") is None  # the inline script never ran
        finally:
            watched.close()
            connections.close_all()
    assert any("style-src" in v for v in watched.violations), watched.violations
    assert any("script-src" in v for v in watched.violations), watched.violations


def test_signing_in_and_setting_up_two_factor_break_no_policy(
    live_server: Any, browser: Any, hero: Any
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("hera")
    page.get_by_label("Password").fill("pw-hera")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/queue/"))
    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_text("This session")).to_be_visible()
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.locator(".qr svg")).to_be_visible()
    expect(page.locator("#totp-secret")).to_have_text(re.compile(r"^[A-Z2-7 ]{32,}$"))
