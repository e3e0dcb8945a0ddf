"""Replies to the asker's notification: posted as their answer, or bounced with
instructions; a forged thread id is an ordinary email ticket."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

import pytest

from herodesk.community import actions, mail
from herodesk.community.authors import Author
from herodesk.community.models import Answer
from herodesk.community.tests.conftest import ask, outbox
from herodesk.intake.email.adapter import accept_email
from herodesk.notify.tests.conftest import run_jobs
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def reply_mail(sender: str, in_reply_to: str, text: str, mid: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "support@herodesk.localhost"
    msg["Subject"] = "Re: [HeroDesk community] How do I roll out a flag?"
    msg["Message-ID"] = mid
    msg["In-Reply-To"] = in_reply_to
    msg["References"] = in_reply_to
    msg.set_content(text)
    return bytes(msg)


def test_the_askers_reply_is_posted_as_their_answer(member: Any, hero: Any) -> None:
    q = ask(member)
    answer = actions.answer_post(q, Author(user=hero), body="Set rollout to 10.")
    raw = reply_mail(
        member.email,
        mail.answer_message_id(answer),
        "Thanks, that worked!\n\nOn Mon, Hera wrote:\n> Set rollout to 10.\n",
        "<r1@example.org>",
    )
    accept_email(raw, envelope={})
    run_jobs()
    mine = Answer.objects.get(account=member)
    assert mine.by_email and mine.body == "Thanks, that worked!"
    assert not Ticket.objects.filter(channel="email").exists()


def test_a_reply_from_someone_else_is_bounced_with_instructions(member: Any, hero: Any) -> None:
    q = ask(member)
    raw = reply_mail("eve@example.org", mail.thread_id(q.pk), "me too", "<r2@example.org>")
    accept_email(raw, envelope={})
    run_jobs()
    assert not Answer.objects.exists() and not Ticket.objects.filter(channel="email").exists()
    [bounce] = outbox("community_bounce")
    assert bounce.recipient == "eve@example.org"
    assert "only the person who asked" in bounce.payload["text"]
    assert f"/community/q/{q.pk}/" in bounce.payload["text"]
    assert bounce.payload["headers"]["Auto-Submitted"] == "auto-replied"


def test_a_locked_question_bounces_and_a_forged_id_is_an_email_ticket(
    member: Any, community_mod: Any
) -> None:
    q = ask(member)
    actions.question_set_state(q, Author(account=community_mod), "locked")
    accept_email(
        reply_mail(member.email, mail.thread_id(q.pk), "more", "<r3@example.org>"), envelope={}
    )
    forged = f"<community.q{q.pk}.{'0' * 20}@herodesk.localhost>"
    accept_email(reply_mail(member.email, forged, "hello", "<r4@example.org>"), envelope={})
    run_jobs()
    assert "locked" in outbox("community_bounce")[0].payload["text"]
    assert not Answer.objects.exists()
    assert Ticket.objects.filter(channel="email").count() == 1
