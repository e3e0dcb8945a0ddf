"""Replies follow the channel, through the API: delivered where the customer
asked (email over real SMTP on loopback, GitHub and Slack through local
stand-ins) or refused with 409 naming where to answer; each message carries
its delivery state; the ticket detail says where the ticket came from."""

from __future__ import annotations

from typing import Any

import pytest

from herodesk.customers.models import Requester
from herodesk.notify.models import Delivery
from herodesk.notify.tests.conftest import ok_post, run_jobs, slack_api, smtp  # noqa: F401
from herodesk.tickets.models import Ticket
from herodesk.web.tests.conftest import make_ticket

pytestmark = pytest.mark.django_db
ISSUE_URL = "https://github.com/acme/app/issues/7"


def github_ticket(team: Any) -> Ticket:
    octo = Requester.objects.create(github_login="octo", name="octo")
    return make_ticket(
        team,
        octo,
        subject="Crash on start",
        channel="github",
        metadata={"github": {"repository": "acme/app", "number": 7, "labels": ["bug"]}},
    )


def reply(api: Any, ticket: Ticket, body: str = "Hi, fixed in 2.4.1.") -> Any:
    return api.post(f"tickets/{ticket.pk}/replies", {"body": body})


def test_a_sentry_alert_without_requester_refuses_a_public_reply(api_as, hero, team):
    alert = make_ticket(team, None, subject="TypeError in checkout", channel="sentry")
    res = reply(api_as(hero), alert)
    assert res.status_code == 409
    assert "internal note" in res.json()["detail"]
    assert not alert.messages.filter(kind="public").exists()
    assert not Delivery.objects.filter(ticket=alert, kind="reply").exists()


def test_community_questions_are_refused_naming_the_page(api_as, hero, team, paying_requester):
    q = make_ticket(team, paying_requester, subject="How to filter?", channel="community")
    res = reply(api_as(hero), q)
    assert res.status_code == 409 and "on the page" in res.json()["detail"]


def test_github_without_a_token_is_refused_naming_the_issue(api_as, hero, team, settings):
    settings.HERODESK_GITHUB_TOKEN = ""
    t = github_ticket(team)
    Ticket.objects.filter(pk=t.pk).update(external_url=ISSUE_URL)
    res = reply(api_as(hero), t)
    assert res.status_code == 409
    assert ISSUE_URL in res.json()["detail"] and "GitHub" in res.json()["detail"]


def test_github_with_a_token_posts_an_issue_comment_and_shows_sent(
    api_as, hero, team, settings, httpserver
):
    settings.HERODESK_GITHUB_TOKEN = "ghp_test"
    settings.HERODESK_GITHUB_API_URL = httpserver.url_for("/")
    httpserver.expect_request("/repos/acme/app/issues/7/comments", method="POST").respond_with_json(
        {"id": 55, "html_url": ISSUE_URL + "#issuecomment-55"}, status=201
    )
    t = github_ticket(team)
    res = reply(api_as(hero), t)
    assert res.status_code == 201
    [sent] = [m for m in res.json()["messages"] if m["kind"] == "public"]
    assert sent["delivery"] == {"state": "queued", "transport": "github", "reason": ""}
    run_jobs()
    detail = api_as(hero).get(f"tickets/{t.pk}").json()
    [sent] = [m for m in detail["messages"] if m["kind"] == "public"]
    assert sent["delivery"]["state"] == "sent"
    assert len(httpserver.log) == 1


def test_an_email_reply_is_queued_then_sent_through_smtp(
    api_as,
    hero,
    team,
    paying_requester,
    smtp,  # noqa: F811
    settings,
):
    settings.HERODESK_EMAIL_COMBINE_SECONDS = 0
    t = make_ticket(team, paying_requester)
    res = reply(api_as(hero), t)
    assert res.status_code == 201
    [sent] = [m for m in res.json()["messages"] if m["kind"] == "public"]
    assert sent["delivery"]["state"] == "queued" and sent["delivery"]["transport"] == "email"
    run_jobs()
    detail = api_as(hero).get(f"tickets/{t.pk}").json()
    [sent] = [m for m in detail["messages"] if m["kind"] == "public"]
    assert sent["delivery"]["state"] == "sent"
    assert any(str(m["To"]) == "ana@acme.example" for m in smtp.inbox.messages)


def test_a_refused_recipient_shows_failed_with_the_reason(
    api_as,
    hero,
    team,
    paying_requester,
    smtp,  # noqa: F811
    settings,
):
    settings.HERODESK_EMAIL_COMBINE_SECONDS = 0
    smtp.inbox.refuse.add("ana@acme.example")
    t = make_ticket(team, paying_requester)
    reply(api_as(hero), t)
    run_jobs()
    detail = api_as(hero).get(f"tickets/{t.pk}").json()
    [sent] = [m for m in detail["messages"] if m["kind"] == "public"]
    assert sent["delivery"]["state"] == "failed" and "550" in sent["delivery"]["reason"]


def test_a_t5_reply_is_kept_and_says_no_email(api_as, hero, team, free_requester):
    t = make_ticket(team, free_requester)
    assert t.tier == 5
    res = reply(api_as(hero), t)
    assert res.status_code == 201
    [kept] = [m for m in res.json()["messages"] if m["kind"] == "public"]
    assert kept["delivery"]["state"] == "not_sent" and "no email" in kept["delivery"]["reason"]


def test_slack_replies_go_to_the_thread(api_as, hero, team, slack_api):  # noqa: F811
    ok_post(slack_api)
    t = make_ticket(
        team,
        None,
        channel="slack",
        metadata={"slack": {"channel": "C0HELP", "thread_ts": "1700000000.000100"}},
    )
    res = reply(api_as(hero), t)
    assert res.status_code == 201
    run_jobs()
    detail = api_as(hero).get(f"tickets/{t.pk}").json()
    [sent] = [m for m in detail["messages"] if m["kind"] == "public"]
    assert sent["delivery"] == {"state": "sent", "transport": "slack", "reason": ""}


def test_the_ticket_detail_says_where_the_ticket_came_from(api_as, hero, team):
    t = github_ticket(team)
    Ticket.objects.filter(pk=t.pk).update(external_url=ISSUE_URL)
    source = api_as(hero).get(f"tickets/{t.pk}").json()["source"]
    assert source["channel"] == "github" and source["url"] == ISSUE_URL
    assert source["title"] == "acme/app#7" and source["labels"] == ["bug"]
    assert (
        source["answer"]["public"] is False and source["answer"]["link_label"] == "Answer on GitHub"
    )
