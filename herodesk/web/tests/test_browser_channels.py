"""In real Chromium: a reply on each channel says where it went (email over a
real SMTP server on loopback, Slack and GitHub through local stand-ins, a
community question answered on its page), and hand-off candidates read
their own local times at a frozen clock. Screenshots go to test-artifacts/."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine

from conftest import make_user
from herodesk.customers.models import Requester
from herodesk.notify.tests.conftest import ok_post, run_jobs, slack_api, smtp  # noqa: F401
from herodesk.web.tests.conftest import make_ticket
from herodesk.web.tests.test_browser import browser, log_in, shot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ISSUE = "https://github.com/acme/app/issues/7"
QUESTION = "https://herodesk.example/questions/12"


@pytest.fixture
def channels(team: Any, hero: Any, paying_requester: Any, settings: Any, httpserver: Any) -> dict:
    settings.HERODESK_EMAIL_COMBINE_SECONDS = 0
    settings.HERODESK_GITHUB_TOKEN = "ghp_test"
    settings.HERODESK_GITHUB_API_URL = httpserver.url_for("/")
    httpserver.expect_request("/repos/acme/app/issues/7/comments", method="POST").respond_with_json(
        {"id": 77, "html_url": ISSUE + "#issuecomment-77"}, status=201
    )
    octo = Requester.objects.create(github_login="octo", name="octo")
    return {
        "email": make_ticket(team, paying_requester, subject="Funnel numbers look off"),
        "slack": make_ticket(
            team,
            None,
            channel="slack",
            subject="Webhook retries pile up",
            metadata={"slack": {"channel": "C0HELP", "thread_ts": "1700000000.000100"}},
        ),
        "github": make_ticket(
            team,
            octo,
            channel="github",
            subject="capture() drops events offline",
            metadata={"github": {"repository": "acme/app", "number": 7, "url": ISSUE}},
        ),
        "community": make_ticket(
            team,
            paying_requester,
            channel="community",
            subject="How do I filter a funnel by cohort?",
            metadata={"community": {"url": QUESTION}},
        ),
    }


def _reply(page: Any, base: str, ticket: Any, text: str) -> None:
    page.goto(f"{base}/tickets/{ticket.pk}/")
    page.wait_for_load_state("networkidle")
    page.locator("#reply").fill(text)
    page.wait_for_timeout(700)  # the reply checks post after 500 ms of quiet
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_selector(".flash, input[name=send_anyway]", state="attached")
    if page.locator("input[name=send_anyway]").count():  # the reply checks asked
        page.get_by_role("button", name="Send anyway").click()
        page.wait_for_selector(".flash")


def test_a_reply_on_each_channel_shows_where_it_went(
    live_server: Any,
    browser: Any,  # noqa: F811
    channels: dict,
    smtp: Any,  # noqa: F811
    slack_api: Any,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    ok_post(slack_api)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    log_in(page, base, "hera")

    _reply(
        page,
        base,
        channels["email"],
        "Hey Ana,\n\nthanks for the details! The funnel counted days in UTC, which is why "
        "it differed from your numbers; your project now uses your own time zone.\n\nBest,\nHera",
    )
    expect(page.locator(".flash.success")).to_contain_text("queued for delivery by email")
    expect(page.locator("[data-delivery]").last).to_contain_text("Queued · email to ana@acme")
    _reply(
        page,
        base,
        channels["slack"],
        "Thanks for flagging this! Retries are now capped at three per event, so the "
        "queue drains within minutes after an outage.",
    )
    _reply(
        page,
        base,
        channels["github"],
        "Thanks for the clear report! This is fixed in 1.96.1: events captured offline "
        "are now kept and sent once the browser is back online.",
    )
    page.goto("about:blank")  # no request in flight while the worker writes (SQLite)
    run_jobs()  # the worker: SMTP on loopback, Slack and GitHub stand-ins

    for key, said in (
        ("email", "Sent · email to ana@acme.example"),
        ("slack", "Sent · Slack thread"),
        ("github", "Sent · GitHub comment"),
    ):
        page.goto(f"{base}/tickets/{channels[key].pk}/")
        expect(page.locator("[data-delivery]").last).to_contain_text(said)
        shot(page, f"11-reply-{key}")
    replies = [m for m in smtp.inbox.messages if m["Auto-Submitted"] is None]
    assert [str(m["To"]) for m in replies] == ["ana@acme.example"]  # the ack went out too

    page.goto(f"{base}/tickets/{channels['community'].pk}/")
    expect(page.locator("[data-answer-elsewhere]")).to_contain_text("answered on the page")
    expect(page.get_by_role("link", name="Answer on the page")).to_have_attribute("href", QUESTION)
    expect(page.locator("#kind-public")).to_have_count(0)
    shot(page, "12-community")
    page.get_by_role("button", name="Mark answered").click()
    expect(page.locator(".flash.success")).to_contain_text("Marked answered at the source")


def test_handoff_candidates_show_their_own_local_times(
    live_server: Any,
    browser: Any,  # noqa: F811
    team: Any,
    hero: Any,
    paying_requester: Any,
) -> None:
    from playwright.sync_api import expect

    week = {d: [["08:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    for name, zone in (("lucia", "America/Sao_Paulo"), ("dana", "America/Denver")):
        person = make_user(name, team=team, tz=zone).person
        person.hours = week
        person.save()
    ticket = make_ticket(team, paying_requester)
    # Tuesday 16:45 in London: 13:45 in São Paulo, 09:45 in Denver.
    with time_machine.travel(datetime(2030, 1, 8, 16, 45, tzinfo=UTC), tick=True):
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        log_in(page, live_server.url, "hera")
        page.goto(f"{live_server.url}/tickets/{ticket.pk}/handoff/")
        expect(page.locator("label[for=to-lucia] [data-local]")).to_have_text(
            "13:45 in São Paulo, until 18:00"
        )
        expect(page.locator("label[for=to-dana] [data-local]")).to_have_text(
            "09:45 in Denver, until 18:00"
        )
        shot(page, "13-handoff-local-times")
