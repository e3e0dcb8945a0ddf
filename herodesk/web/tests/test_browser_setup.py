"""A team moves in, in real Chromium against a live server, without the admin:
an invitation → set password → sign in → the team's queue; a lead adds a member
and a GitHub repository; a token made and revoked stops working at once."""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from conftest import make_user
from herodesk.intake.models import GitHubRepository, RoutingRule
from herodesk.notify.models import Delivery

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"{CHROMIUM} is missing; CI needs it (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)


@pytest.fixture
def page(live_server: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()
            connections.close_all()
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=10)


def log_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def api_me(base: str, token: str) -> int:
    request = urllib.request.Request(
        f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_an_invited_person_sets_a_password_and_lands_on_their_team_queue(
    live_server: Any, page: Any, team: Any, admin: Any
) -> None:
    base = live_server.url
    log_in(page, base, "admin", "pw-admin")
    page.goto(f"{base}/people/")
    page.get_by_label("Email").fill("nina@example.com")
    page.get_by_label("Name").fill("Nina Novak")
    page.get_by_label("Team").select_option("pipeline")
    page.get_by_role("button", name="Send invitation").click()
    assert "Invitation for nina@example.com queued" in page.content()
    mail = Delivery.objects.get(kind="invitation")
    link = next(w for w in mail.payload["text"].split() if "/welcome/" in w)
    page.get_by_role("button", name="Log out").click()

    page.goto(link.replace("http://127.0.0.1:8000", base))
    page.get_by_label("Choose a password").fill("correct horse battery 9")
    page.get_by_label("Type it again").fill("correct horse battery 9")
    page.get_by_role("button", name="Set password and sign in").click()
    page.wait_for_url(f"{base}/queue/pipeline/")
    page.get_by_role("button", name="Log out").click()

    log_in(page, base, "nina", "correct horse battery 9")
    page.wait_for_url(f"{base}/queue/**")
    assert page.get_by_role("button", name="Log out").is_visible()
    page.goto(link.replace("http://127.0.0.1:8000", base))  # the link worked once
    assert "already used" in page.content()


def test_a_lead_adds_a_member_and_a_github_repository(
    live_server: Any, page: Any, team: Any, lead: Any
) -> None:
    make_user("mia")
    base = live_server.url
    log_in(page, base, "lena", "pw-lena")
    page.goto(f"{base}/teams/pipeline/members/")
    page.get_by_label("Person").select_option("mia")
    page.get_by_role("button", name="Add to Pipeline").click()
    assert page.locator('tr[data-member="mia"]').is_visible()
    assert team.memberships.filter(person__user__username="mia", role="member").exists()

    page.get_by_role("link", name="Integrations").first.click()
    assert "secret not set (HERODESK_GITHUB_SECRET)" in page.content()
    page.get_by_label("Add a repository").fill("acme/widgets")
    page.get_by_role("button", name="Add repository").click()
    assert page.locator('tr[data-repository="acme/widgets"]').is_visible()
    assert GitHubRepository.objects.filter(full_name="acme/widgets").exists()
    assert RoutingRule.objects.get().repository == "acme/widgets"
    assert RoutingRule.objects.get().team == team
    page.get_by_role("button", name="Send a test event").first.click()
    assert "Test event refused (503)" in page.content()  # no secret: refused, not "sent"


def test_a_token_made_and_revoked_stops_working_at_once(
    live_server: Any, page: Any, team: Any, hero: Any
) -> None:
    base = live_server.url
    log_in(page, base, "hera", "pw-hera")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("ci")
    page.get_by_role("button", name="Make token").click()
    token = page.get_by_label("The new token").input_value()
    assert token.startswith("hd_") and api_me(base, token) == 200
    page.goto(f"{base}/account/tokens/")  # shown once: not on the page again
    assert token not in page.content()
    page.locator('tr[data-token="ci"]').get_by_role("button", name="Revoke").click()
    assert "is revoked; it no longer works" in page.content()
    assert api_me(base, token) == 401
    assert json.dumps(token) not in json.dumps(list(Delivery.objects.values()), default=str)
