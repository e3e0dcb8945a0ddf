"""Helpers for the desk's view and browser tests."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.utils import timezone

# Playwright's sync API runs an event loop in the test thread; Django refuses
# ORM calls from such a thread unless told it is fine (the live server runs
# in its own thread either way).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def make_ticket(
    team: Any,
    requester: Any = None,
    *,
    subject: str = "Events are delayed",
    body: str = "Our events are two hours late since this morning.",
    channel: str = "email",
    tier: int | None = None,
    created_at: datetime | None = None,
    assignee: Any = None,
    metadata: dict[str, Any] | None = None,
) -> Any:
    from herodesk.tickets import actions

    return actions.ticket_create(
        subject=subject,
        body=body,
        actor="test",
        channel=channel,
        team=team,
        requester=requester,
        tier=tier,
        created_at=created_at or timezone.now(),
        assignee=assignee,
        metadata=metadata,
    )


@pytest.fixture
def ticket_factory(team: Any, paying_requester: Any) -> Any:
    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("requester", paying_requester)
        return make_ticket(kwargs.pop("team", team), **kwargs)

    return make


@pytest.fixture
def login() -> Any:
    def as_user(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return as_user


def ago(**kwargs: Any) -> datetime:
    return timezone.now() - timedelta(**kwargs)


# Browser tests (real Chromium through Playwright) -----------------------------------------

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
# Runs in every page before its own scripts: reports Content-Security-Policy
# violations (an inline script or style the policy blocked) to the test.
CSP_WATCH = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__hdCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`
    + ` in ${e.sourceFile || document.location.href}:${e.lineNumber}`
    + (e.sample ? ` (${e.sample})` : ''));
});
"""


def require_chromium() -> None:
    """Skip the calling test module without Debian's chromium (CI must have it)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"{CHROMIUM} is missing; CI needs it (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)


class WatchedBrowser:
    """A Playwright browser whose pages report CSP violations into `violations`."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.violations: list[str] = []

    def _report(self, source: Any, text: str) -> None:
        self.violations.append(f"{source['frame'].url}: {text}")

    def new_context(self, **kwargs: Any) -> Any:
        context = self._browser.new_context(**kwargs)
        context.expose_binding("__hdCspViolation", self._report)
        context.add_init_script(CSP_WATCH)
        return context

    def new_page(self, **kwargs: Any) -> Any:
        page = self.new_context(**kwargs).new_page()
        page.on("close", lambda p: p.context.close())
        return page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture
def browser() -> Iterator[WatchedBrowser]:
    """Chromium for one test; the test fails if any page broke the CSP."""
    from playwright.sync_api import sync_playwright  # lazy: Playwright is for browser tests

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        watched = WatchedBrowser(p.chromium.launch(executable_path=CHROMIUM, args=ARGS))
        try:
            yield watched
        finally:
            watched.close()
            connections.close_all()  # ORM calls made while Playwright ran
    # The live server answers each keep-alive connection in its own thread, which
    # closes its database connection when the browser hangs up: wait for that, so
    # the test database can be dropped.
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=10)
    assert not watched.violations, "Content-Security-Policy violations:\n" + "\n".join(
        watched.violations
    )
