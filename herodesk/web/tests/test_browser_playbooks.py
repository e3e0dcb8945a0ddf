"""Playbooks in real Chromium: start one from the ticket page, see locked steps with
why, send the confirmation email, upload an app archive and read its findings."""

from __future__ import annotations

import re
from typing import Any

import pytest

from herodesk.playbooks.review.tests.build import clean_plugin, zip_bytes
from herodesk.web.tests.conftest import make_ticket
from herodesk.web.tests.test_browser import ARTIFACTS, browser, log_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_hero_runs_the_2fa_playbook_and_reviews_an_app(
    live_server: Any,
    browser: Any,  # noqa: F811 (the fixture imported above)
    team: Any,
    hero: Any,
    paying_requester: Any,
) -> None:
    from playwright.sync_api import expect

    ticket = make_ticket(team, paying_requester, subject="Lost my phone: remove 2FA please")
    base = live_server.url
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, base, hero.username)
    page.goto(f"{base}/tickets/{ticket.pk}/")

    panel = page.locator("#playbooks")
    expect(panel).to_contain_text("No playbook on this ticket")
    panel.locator("form[data-playbook='2fa-removal']").get_by_role("button").click()
    expect(page.locator(".flash")).to_contain_text("Started 2FA removal.")
    remove = panel.locator("li[data-step='remove-device']")
    expect(remove).to_have_attribute("data-state", "locked")
    expect(remove).to_contain_text("Locked: waits for «Send the confirmation email")
    send = panel.locator("li[data-step='send-confirmation']")
    expect(send).to_contain_text("to ana@acme.example")
    send.get_by_role("button", name="Send email").click()
    expect(send).to_have_attribute("data-state", "done")
    expect(send).to_contain_text("queued, not sent yet")
    expect(panel.locator("li[data-step='owner-reply']")).to_contain_text("Waiting: opens when")
    expect(remove).to_contain_text("(no accepted reply yet)")
    page.screenshot(path=str(ARTIFACTS / "playbook-2fa.png"), full_page=True)

    page.locator("details.start-playbook summary").click()
    panel.locator("form[data-playbook='app-review']").get_by_role("button").click()
    files = clean_plugin()
    files["index.ts"] = (
        b"export async function onEvent(e) {\n  for (;;) { await fetch(e.url) }\n}\n"
    )
    checks = panel.locator("li[data-step='automatic-checks']")
    checks.locator("input[type=file]").set_input_files(
        {"name": "plugin.zip", "mimeType": "application/zip", "buffer": zip_bytes(files)}
    )
    checks.get_by_role("button", name="Run the checks").click()
    expect(page.locator(".flash")).to_contain_text(re.compile(r"App review #\d+ failed"))
    finding = checks.locator(".finding").first
    expect(finding).to_contain_text("index.ts:2")
    expect(finding).to_contain_text("unbounded-requests")
    expect(checks).to_have_attribute("data-state", "ready")
    expect(panel.locator("li[data-step='install']")).to_contain_text("Locked:")
    page.screenshot(path=str(ARTIFACTS / "playbook-app-review.png"), full_page=True)
    assert errors == []
