"""Slack out against a local stand-in for Slack's Web API (pytest-httpserver):
new tickets, thread replies, SLA warnings and breaches, schedule notices,
429 Retry-After honoured, permanent refusals kept visible."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from herodesk.notify import outbox, watch
from herodesk.notify.models import Delivery, DeliveryStatus, SlaBreach
from herodesk.notify.tests.conftest import make_email_ticket, ok_post, run_jobs, slack_posts
from herodesk.rotations import actions as rotation_actions
from herodesk.tickets import actions

pytestmark = pytest.mark.django_db
SLACK_THREAD = {"channel": "C0CUSTOMER", "thread_ts": "1699999999.000200"}


@pytest.fixture
def channel_team(team):
    team.slack_channel = "C0SUPPORT"
    team.save()
    return team


def slack_ticket(team, requester, **extra):
    return actions.ticket_create(
        subject="Flags not loading",
        body="Our flags don't load since this morning",
        actor="slack",
        channel="slack",
        team=team,
        requester=requester,
        metadata={"slack": SLACK_THREAD},
        **extra,
    )


def test_each_new_ticket_is_announced_in_the_team_support_channel(
    slack_api, channel_team, paying_requester
):
    ok_post(slack_api)
    ticket = make_email_ticket(paying_requester, team=channel_team)
    run_jobs()

    [post] = slack_posts(slack_api)
    assert post["channel"] == "C0SUPPORT"
    assert f"#{ticket.pk} Export fails" in post["text"]
    assert "T3" in post["text"] and "Ana Lima (Acme)" in post["text"]
    assert f"/tickets/{ticket.pk}/" in post["text"]
    assert Delivery.objects.get(kind="ticket_created").status == DeliveryStatus.SENT


def test_public_replies_to_slack_tickets_go_into_the_originating_thread(
    slack_api, channel_team, hero, paying_requester
):
    ok_post(slack_api, ts="1700000001.000300")
    ticket = slack_ticket(channel_team, paying_requester)
    actions.ticket_note(ticket, author=hero, body="internal only")
    reply = actions.ticket_reply(ticket, author=hero, body="Hey Ana, a fix is rolling out <now>.")
    run_jobs()

    posts = slack_posts(slack_api)
    [in_thread] = [p for p in posts if p.get("thread_ts")]
    assert in_thread["channel"] == "C0CUSTOMER"
    assert in_thread["thread_ts"] == "1699999999.000200"
    assert in_thread["text"] == "*Hera* (Pipeline)\nHey Ana, a fix is rolling out &lt;now&gt;."
    assert not any("internal only" in p["text"] for p in posts)
    assert mail.outbox == []  # Slack tickets are answered in Slack, not by email
    reply.refresh_from_db()
    assert reply.external_id == "1700000001.000300"


def test_rate_limit_answer_holds_every_slack_post_until_retry_after(
    slack_api, channel_team, paying_requester
):
    slack_api.expect_oneshot_request("/api/chat.postMessage", method="POST").respond_with_json(
        {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "30"}
    )
    ok_post(slack_api)
    make_email_ticket(paying_requester, team=channel_team, message_id="<a@acme.example>")
    make_email_ticket(paying_requester, team=channel_team, message_id="<b@acme.example>")
    base = timezone.now()

    outbox.drain(now=base)
    assert len(slack_posts(slack_api)) == 1  # the second was held back, not sent into a 429
    held = Delivery.objects.filter(transport="slack")
    assert all(d.status == "pending" and d.attempts == 0 for d in held)
    assert all(d.next_attempt_at >= base + timedelta(seconds=30) for d in held)

    outbox.drain(now=base + timedelta(seconds=20))
    assert len(slack_posts(slack_api)) == 1
    outbox.drain(now=base + timedelta(seconds=35))
    assert len(slack_posts(slack_api)) == 3
    assert set(held.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_unknown_channel_fails_for_good_and_stays_visible(
    slack_api, channel_team, paying_requester
):
    slack_api.expect_request("/api/chat.postMessage").respond_with_json(
        {"ok": False, "error": "channel_not_found"}
    )
    make_email_ticket(paying_requester, team=channel_team)
    run_jobs()
    post = Delivery.objects.get(kind="ticket_created")
    assert post.status == DeliveryStatus.FAILED
    assert post.last_error == "Slack refused: channel_not_found"


def test_sla_warning_is_posted_once_before_the_breach_and_the_breach_is_recorded(
    slack_api, channel_team, hero, big_requester
):
    ok_post(slack_api)
    created = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)  # a Wednesday, inside London hours
    ticket = make_email_ticket(big_requester, team=channel_team, at=created)
    actions.ticket_assign(ticket, hero, actor=hero)
    ticket.refresh_from_db()
    due, late = ticket.due_by, ticket.late_after

    assert watch.sla_warnings(due - timedelta(minutes=45)) == 0  # not yet inside the window
    assert watch.sla_warnings(due - timedelta(minutes=20)) == 1
    assert watch.sla_warnings(due - timedelta(minutes=5)) == 0  # once per clock
    assert watch.sla_breaches(due + timedelta(minutes=5)) == 0  # due ≠ too late
    assert watch.sla_breaches(late + timedelta(minutes=1)) == 1
    assert watch.sla_breaches(late + timedelta(minutes=2)) == 0
    run_jobs()

    texts = [p["text"] for p in slack_posts(slack_api) if p["channel"] == "C0SUPPORT"]
    [warning] = [t for t in texts if "needs a first response" in t]
    assert f"#{ticket.pk}" in warning and "within 20 minutes" in warning and "Hera" in warning
    [breach] = [t for t in texts if "breached" in t]
    assert f"#{ticket.pk}" in breach
    recorded = SlaBreach.objects.get()
    assert (recorded.ticket, recorded.tier, recorded.late_after) == (ticket, 2, late)


def test_answered_or_pending_tickets_get_no_sla_warning(
    slack_api, channel_team, hero, big_requester
):
    ok_post(slack_api)
    created = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)
    answered = make_email_ticket(
        big_requester, team=channel_team, at=created, message_id="<x@globex.example>"
    )
    waiting = make_email_ticket(
        big_requester, team=channel_team, at=created, message_id="<y@globex.example>"
    )
    answered.refresh_from_db()
    due = answered.due_by
    actions.ticket_reply(answered, author=hero, body="Hey Gus, done.", at=created)
    actions.ticket_set_status(waiting, "pending", actor=hero, at=created)
    assert watch.sla_warnings(due - timedelta(minutes=10)) == 0
    assert watch.sla_breaches(due + timedelta(days=3)) == 0


@pytest.fixture
def rota(team, admin, lead, hero, teammate):
    hero.person.slack_user_id = "U0HERA"
    hero.person.save()
    start = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)  # a Monday
    rotation_actions.rotation_set(
        team, members=["hera", "tim"], start=start, actor=admin, now=start - timedelta(days=30)
    )
    return start


def test_an_override_tells_the_people_it_moves_and_the_team_channel(
    slack_api, channel_team, rota, lead
):
    ok_post(slack_api)
    Delivery.objects.all().delete()  # the rotation's own notices are not this test's
    wednesday = rota + timedelta(days=2)
    rotation_actions.override_create(
        channel_team,
        person="tim",
        start=wednesday,
        end=wednesday + timedelta(days=1),
        actor=lead,
        now=rota - timedelta(days=10),
    )
    run_jobs()

    posts = slack_posts(slack_api)
    [dm] = [p for p in posts if p["channel"] == "U0HERA"]
    assert "Pipeline changed: an override was added by Lena" in dm["text"]
    [channel] = [p for p in posts if p["channel"] == "C0SUPPORT"]
    assert "an override was added by Lena" in channel["text"]
    assert "Tim" in channel["text"] and "U0HERA" not in channel["text"]
    [tim_mail] = [m for m in mail.outbox if m.to == ["tim@example.com"]]
    assert tim_mail.subject == "Your Support Hero shifts for Pipeline changed"
    assert "you are on:" in tim_mail.body
    assert not any(m.to == ["lena@example.com"] for m in mail.outbox)  # the actor knows
