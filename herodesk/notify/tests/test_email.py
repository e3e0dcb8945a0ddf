"""Email out through a real SMTP server on loopback: acknowledgements by tier,
threaded replies, combined drafts, the outbox in the reply's transaction, and
an SMTP outage that loses nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from herodesk.intake.email.threading import find_ticket
from herodesk.notify import outbox
from herodesk.notify.models import Delivery, DeliveryStatus
from herodesk.notify.tests.conftest import make_email_ticket, run_jobs
from herodesk.tickets import actions

pytestmark = pytest.mark.django_db


def plain(message):
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def html(message):
    return message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")


def later(seconds: int):
    return timezone.now() + timedelta(seconds=seconds)


def test_high_and_normal_tier_requesters_get_an_acknowledgement_that_threads(
    smtp, team, big_requester, paying_requester
):
    high = make_email_ticket(big_requester, team=team, message_id="<gus.1@globex.example>")
    normal = make_email_ticket(paying_requester, team=team, message_id="<ana.1@acme.example>")
    assert (high.tier, normal.tier) == (2, 3)

    assert run_jobs() == 2

    by_to = {str(m["To"]): m for m in smtp.inbox.messages}
    assert set(by_to) == {"gus@globex.example", "ana@acme.example"}
    ack = by_to["gus@globex.example"]
    assert ack["Subject"] == f"Re: Export fails [HD#{high.pk}]"
    assert ack["In-Reply-To"] == "<gus.1@globex.example>"
    assert ack["References"] == "<gus.1@globex.example>"
    assert ack["Auto-Submitted"] == "auto-replied"  # robots must not answer it
    assert plain(ack).startswith("Hi Gus,")
    assert f"[HD#{high.pk}]" in plain(ack) and "Pipeline" in plain(ack)
    assert "<p>Hi Gus,</p>" in html(ack)
    assert by_to["ana@acme.example"]["In-Reply-To"] == "<ana.1@acme.example>"


def test_low_tier_requester_gets_no_email_at_all(smtp, team, hero, free_requester):
    ticket = make_email_ticket(free_requester, team=team)
    assert ticket.tier == 5
    actions.ticket_reply(ticket, author=hero, body="Hey Fay, try the docs.")

    run_jobs()
    outbox.drain(now=later(3600))

    assert smtp.inbox.messages == []
    assert not Delivery.objects.filter(transport="email").exists()


def test_community_and_alert_channels_get_no_acknowledgement(smtp, team, paying_requester):
    actions.ticket_create(
        subject="Sentry: TypeError",
        body="boom",
        actor="sentry",
        channel="sentry",
        team=team,
        requester=paying_requester,
    )
    actions.ticket_create(
        subject="Bug in docs",
        body="typo",
        actor="github",
        channel="github",
        team=team,
        requester=paying_requester,
    )
    run_jobs()
    assert smtp.inbox.messages == []


def test_public_reply_goes_out_as_one_threaded_email_greeting_the_requester(
    smtp, team, hero, paying_requester
):
    ticket = make_email_ticket(paying_requester, team=team)
    actions.ticket_requester_message(
        ticket,
        body="It still fails today.",
        external_id="<ana.2@acme.example>",
        metadata={
            "email": {
                "message_id": "<ana.2@acme.example>",
                "references": ["<first.1@acme.example>", "<ana.2@acme.example>"],
                "reply_to": "ana@acme.example",
                "subject": "Re: Export fails",
                "cc": ["dana@acme.example", "support@herodesk.localhost"],
            }
        },
    )
    run_jobs()  # the acknowledgement
    smtp.inbox.messages.clear()
    note = actions.ticket_note(ticket, author=hero, body="internal: bucket policy, see #ops")
    reply = actions.ticket_reply(
        ticket, author=hero, body="I found the cause: the bucket policy denies PutObject."
    )

    outbox.drain(now=later(121))

    [sent] = smtp.inbox.messages
    assert sent["Subject"] == f"Re: Export fails [HD#{ticket.pk}]"
    assert sent["To"] == "ana@acme.example" and sent["Cc"] == "dana@acme.example"
    assert sent["In-Reply-To"] == "<ana.2@acme.example>"
    assert sent["References"] == "<first.1@acme.example> <ana.2@acme.example>"
    assert "Auto-Submitted" not in sent
    assert sent.get_content_type() == "multipart/alternative"
    text = plain(sent)
    assert text.startswith("Hi Ana,\n\nI found the cause")
    assert "Best,\nHera\nPipeline · HeroDesk Support" in text
    assert "internal: bucket policy" not in text  # notes never leave the desk
    assert "<p>Hi Ana,</p>" in html(sent) and "PutObject" in html(sent)
    [sender] = sent["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (
        "Hera (HeroDesk Support)",
        "support@herodesk.localhost",
    )
    reply.refresh_from_db()
    note.refresh_from_db()
    assert reply.external_id == sent["Message-ID"] and note.external_id == ""
    # The customer's answer to it threads back onto the ticket by header.
    assert find_ticket([sent["Message-ID"]], "Re: whatever", "ana@acme.example") == ticket


def test_replies_within_the_window_are_combined_into_one_email(
    smtp, team, hero, teammate, paying_requester, settings
):
    settings.HERODESK_EMAIL_COMBINE_SECONDS = 120
    ticket = make_email_ticket(paying_requester, team=team)
    run_jobs()
    smtp.inbox.messages.clear()
    start = timezone.now()
    first = actions.ticket_reply(
        ticket, author=hero, body="Hey Ana,\nlooking into it now.", at=start
    )
    second = actions.ticket_reply(
        ticket,
        author=teammate,
        body="Hey Ana,\nfound it: the bucket policy.",
        at=start + timedelta(seconds=30),
    )

    assert Delivery.objects.filter(kind="reply").count() == 1
    outbox.drain(now=start + timedelta(seconds=90))
    assert smtp.inbox.messages == []  # the window is still open: nothing leaves yet
    outbox.drain(now=start + timedelta(seconds=121))

    [sent] = smtp.inbox.messages
    text = plain(sent)
    assert text.count("Hey Ana") == 1 and "Hi Ana" not in text  # one greeting: theirs
    assert text.index("looking into it") < text.index("found it: the bucket policy")
    assert "Best,\nHera & Tim" in text
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.external_id == second.external_id == sent["Message-ID"]

    actions.ticket_reply(
        ticket, author=hero, body="Fixed on our side too.", at=start + timedelta(seconds=200)
    )
    outbox.drain(now=start + timedelta(seconds=400))
    assert len(smtp.inbox.messages) == 2  # after the first left, a new one starts


def test_reply_mail_is_written_in_the_same_transaction_as_the_reply(team, hero, paying_requester):
    ticket = make_email_ticket(paying_requester, team=team)
    jobs_before = DBTaskResult.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.ticket_reply(ticket, author=hero, body="Hey Ana, fixed.")
        assert Delivery.objects.filter(kind="reply").count() == 1
        raise RuntimeError("the request failed after the reply")
    assert not Delivery.objects.filter(kind="reply").exists()
    assert DBTaskResult.objects.count() == jobs_before


def test_smtp_outage_of_minutes_loses_nothing_and_sends_each_mail_once(
    smtp, team, hero, paying_requester
):
    smtp.stop()
    base = timezone.now()
    ticket = make_email_ticket(paying_requester, team=team)
    actions.ticket_reply(ticket, author=hero, body="Hey Ana, on it.", at=base)

    for minute in (0, 4, 8):
        outbox.drain(now=base + timedelta(minutes=minute))
    waiting = list(Delivery.objects.order_by("id"))
    assert [d.status for d in waiting] == ["pending", "pending"]
    assert all(d.attempts >= 2 and "SMTP unavailable" in d.last_error for d in waiting)
    listing = io.StringIO()
    call_command("jobs", stdout=listing)
    assert "retrying" in listing.getvalue() and "SMTP unavailable" in listing.getvalue()

    smtp.start()
    outbox.drain(now=base + timedelta(minutes=30))
    outbox.drain(now=base + timedelta(minutes=90))

    assert sorted(smtp.inbox.subjects()) == [f"Re: Export fails [HD#{ticket.pk}]"] * 2
    assert [str(m["To"]) for m in smtp.inbox.messages] == ["ana@acme.example"] * 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_refused_recipient_fails_visibly_and_can_be_retried(smtp, team, paying_requester):
    smtp.inbox.refuse.add("ana@acme.example")
    make_email_ticket(paying_requester, team=team)
    run_jobs()
    ack = Delivery.objects.get(kind="ack")
    assert ack.status == DeliveryStatus.FAILED and "550" in ack.last_error

    listing = io.StringIO()
    call_command("jobs", stdout=listing)
    assert f"#{ack.pk}" in listing.getvalue() and "FAILED" in listing.getvalue()

    smtp.inbox.refuse.clear()
    call_command("jobs", "retry", str(ack.pk), stdout=io.StringIO())
    run_jobs()
    ack.refresh_from_db()
    assert ack.status == DeliveryStatus.SENT and len(smtp.inbox.messages) == 1
