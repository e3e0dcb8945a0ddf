"""Community questions in real Chromium (/usr/bin/chromium) against a live server.

A static docs page on another origin (pytest-httpserver, which also stands in
for Slack's API) embeds the snippet: a member logs in and asks; the question
becomes a routed T4 desk item with a link and a Slack notice; a hero answers on
the hosted page as Team; the asker's email arrives at a real SMTP server on
loopback and the item's first response is graded; the asker resolves on the
page and the item is solved. Rate limits refuse in the embed with their message.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from herodesk.community.tests.conftest import make_account
from herodesk.notify.tests.conftest import (  # noqa: F401 (fixtures)
    ok_post,
    run_jobs,
    slack_api,
    slack_posts,
    smtp,
)
from herodesk.web.tests.test_browser import ALWAYS, browser, log_in, shot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_PAGE = """<!doctype html><html><head><title>Data pipelines: S3</title>
<style>* { color: rgb(255, 0, 0) !important; font-size: 40px; } h2 { display: none; }</style>
</head><body><h1>Exporting to S3</h1><p>How the S3 export works.</p>
<script src="{base}/community/embed.js" data-page="/docs/data-pipelines/s3" async></script>
</body></html>"""


@pytest.fixture
def docs_site(live_server: Any, slack_api: Any, settings: Any, team: Any, admin: Any) -> str:  # noqa: F811
    """The docs page on its own origin, allowed to talk to the community API; Pipeline
    takes /docs/data-pipelines/* and works around the clock."""
    from herodesk.intake import actions as intake_actions

    origin = slack_api.url_for("/").rstrip("/")
    settings.BASE_URL = live_server.url  # links in mails and in Slack
    settings.HERODESK_COMMUNITY_ORIGINS = [origin]
    settings.CORS_ALLOWED_ORIGINS = [origin]
    slack_api.expect_request("/docs/data-pipelines/s3").respond_with_data(
        DOCS_PAGE.replace("{base}", live_server.url), content_type="text/html"
    )
    ok_post(slack_api)
    team.hours = ALWAYS
    team.save()
    intake_actions.routing_rule_save(team=team, actor=admin, page="/docs/data-pipelines/*")
    return f"{origin}/docs/data-pipelines/s3"


def test_ask_in_the_embed_answer_on_the_page_resolve(
    live_server: Any,
    browser: Any,  # noqa: F811
    docs_site: str,
    slack_api: Any,  # noqa: F811
    smtp: Any,  # noqa: F811
    hero: Any,
    team: Any,
) -> None:
    from playwright.sync_api import expect

    from herodesk.tickets.models import Ticket

    member = make_account("mia@example.org")
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(docs_site)
    embed = page.locator(".herodesk-community")
    expect(embed.get_by_text("No questions about this page yet")).to_be_visible()
    # Style isolation: the host's "everything red, no h2" does not reach into the shadow root…
    heading = embed.get_by_role("heading", name="Questions about this page")
    expect(heading).to_be_visible()
    assert heading.evaluate("e => getComputedStyle(e).color") != "rgb(255, 0, 0)"
    # …and ours does not leak out.
    assert page.locator("h1").evaluate("e => getComputedStyle(e).fontSize") == "40px"
    embed.get_by_label("Email").fill(member.email)
    embed.get_by_label("Password").fill("pw-" + member.email)
    embed.get_by_role("button", name="Log in").click()
    embed.get_by_label("Title").fill("S3 export stuck since Monday")
    embed.get_by_label("Details (Markdown)").fill("The export shows `pending`.")
    embed.get_by_role("button", name="Post the question").click()
    expect(embed.get_by_text("Posted.")).to_be_visible()
    expect(embed.get_by_role("link", name="S3 export stuck since Monday")).to_be_visible()
    shot(page, "community-embed")

    run_jobs()  # the worker: intake → desk item → Slack
    item = Ticket.objects.get(channel="community")
    assert (item.tier, item.team) == (4, team)
    question_url = item.external_url
    assert re.search(r"/community/q/\d+/$", question_url)
    run_jobs()
    posts = [p for p in slack_posts(slack_api) if p["channel"] == "#community-questions"]
    assert posts and question_url in posts[0]["text"]

    # The desk item has no public composer: "Answer on the page" opens the question,
    # where the hero answers as Team.
    desk = browser.new_page(viewport={"width": 1100, "height": 900})
    log_in(desk, live_server.url, hero.username)
    desk.goto(f"{live_server.url}/tickets/{item.pk}/")
    expect(desk.locator("[data-answer-elsewhere]")).to_contain_text("answered on the page")
    expect(desk.locator("#kind-public")).to_have_count(0)
    with desk.context.expect_page() as opened:
        desk.get_by_role("link", name="Answer on the page").click()
    desk = opened.value
    desk.wait_for_load_state()
    assert desk.url == question_url
    desk.get_by_label("Your answer (Markdown)").fill("Hi Mia, re-run it from **Exports**.")
    desk.get_by_role("button", name="Post as Team").click()
    expect(desk.locator(".answer .badge.team")).to_be_visible()
    run_jobs()
    run_jobs()
    item.refresh_from_db()
    assert item.first_response_grade == "great" and item.first_response_at is not None
    [notice] = smtp.inbox.messages
    assert notice["To"] == member.email and question_url in notice.get_content()

    # The asker resolves on the hosted page (a phone-sized screen): the item is solved.
    phone = browser.new_page(viewport={"width": 375, "height": 740})
    phone.goto(f"{live_server.url}/community/login/?next={question_url}")
    phone.get_by_label("Email").fill(member.email)
    phone.get_by_label("Password").fill("pw-" + member.email)
    phone.get_by_role("button", name="Log in").click()
    phone.get_by_role("button", name="Accept this answer").click()
    expect(phone.locator(".badge.ok")).to_have_text("Accepted answer")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "community-question-phone")
    run_jobs()
    item.refresh_from_db()
    assert item.status == "solved"


def test_the_embed_shows_rate_limits_and_stores_nothing(
    live_server: Any,
    browser: Any,  # noqa: F811
    docs_site: str,
    settings: Any,
) -> None:
    from playwright.sync_api import expect

    from herodesk.community.models import Question

    settings.HERODESK_COMMUNITY_RATE_ASK = "1/h"
    member = make_account("mia@example.org")
    page = browser.new_page()
    page.goto(docs_site)
    embed = page.locator(".herodesk-community")
    embed.get_by_label("Email").fill(member.email)
    embed.get_by_label("Password").fill("pw-" + member.email)
    embed.get_by_role("button", name="Log in").click()
    for title in ("First question", "Second question"):
        embed.get_by_label("Title").fill(title)
        embed.get_by_label("Details (Markdown)").fill("Details.")
        embed.get_by_role("button", name="Post the question").click()
        if title == "First question":
            expect(embed.get_by_text("Posted.")).to_be_visible()
    expect(embed.get_by_text(re.compile(r"too many questions: at most 1 per hour"))).to_be_visible()
    assert list(Question.objects.values_list("title", flat=True)) == ["First question"]
