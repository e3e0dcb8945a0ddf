"""In real Chromium: "Use as draft" on a similar solved ticket puts its answer
in the reply box (public reply mode, focused), keeps what the hero had written,
and sends nothing. Screenshot in test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest

from herodesk.tickets import actions
from herodesk.tickets.models import Message, Status
from herodesk.web.tests.conftest import make_ticket
from herodesk.web.tests.test_browser import browser, log_in, shot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ANSWER = "Hey Ana,\n\nthe export role needs s3:PutObject on the bucket.\nRetry after <that>."


def test_use_as_draft_fills_the_composer_and_sends_nothing(
    live_server: Any,
    browser: Any,  # noqa: F811
    team: Any,
    hero: Any,
    paying_requester: Any,
) -> None:
    from playwright.sync_api import expect

    past = make_ticket(
        team,
        paying_requester,
        subject="S3 batch export failed with AccessDenied",
        body="Our S3 export fails with AccessDenied since the bucket keys rotated.",
    )
    actions.ticket_reply(past, author=hero, body=ANSWER, status=Status.SOLVED)
    new = make_ticket(
        team, paying_requester, subject="S3 export AccessDenied", body="AccessDenied from S3."
    )
    before = Message.objects.filter(ticket=new).count()

    base = live_server.url
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, base, "hera")
    page.goto(f"{base}/tickets/{new.pk}/")
    panel = page.locator("#similar")
    expect(
        panel.get_by_role("link", name="S3 batch export failed with AccessDenied")
    ).to_be_visible()

    page.get_by_label("Internal note").check()  # the hero was about to write a note
    page.locator("#reply").fill("Hi Ana,")
    panel.get_by_role("button", name="Use as draft").click()
    reply = page.locator("#reply")
    expect(reply).to_have_value("Hi Ana,\n\n" + ANSWER)
    expect(reply).to_be_focused()
    expect(page.locator("#kind-public")).to_be_checked()  # an answer is a public reply
    expect(page.locator("[data-similar-status]")).to_contain_text(f"#{past.pk}")
    page.wait_for_timeout(700)  # the reply checks post after 500 ms of quiet
    page.wait_for_load_state("networkidle")
    shot(page, "similar-draft")
    assert Message.objects.filter(ticket=new).count() == before  # nothing was sent
    assert errors == []
