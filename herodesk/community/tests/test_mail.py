"""The asker's email on each reply: through the outbox to a real SMTP server on
loopback, threaded under the question, with the answer link and an unsubscribe."""

from __future__ import annotations

from typing import Any

import pytest

from herodesk.community import actions, mail
from herodesk.community.authors import Author
from herodesk.community.tests.conftest import ask, outbox
from herodesk.notify import outbox as notify_outbox
from herodesk.notify.tests.conftest import smtp  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_team_answer_reaches_the_asker_threaded(smtp: Any, member: Any, hero: Any) -> None:  # noqa: F811
    q = ask(member)
    first = actions.answer_post(q, Author(user=hero), body="Hi Mia, set `rollout: 10`.")
    second = actions.answer_post(q, Author(user=hero), body="Also see the docs.")
    result = notify_outbox.drain()
    assert result["sent"] == 2, result
    one, two = smtp.inbox.messages
    assert smtp.inbox.envelopes[0][1] == ["mia@example.org"]
    assert str(one["Subject"]).endswith(q.title)
    root = mail.thread_id(q.pk)
    assert one["In-Reply-To"] == root and two["References"] == root
    assert one["Message-ID"] == mail.answer_message_id(first)
    assert two["Message-ID"] == mail.answer_message_id(second)
    text = one.get_body(("plain",)).get_content()
    assert "Hera (Team) answered your question" in text
    assert f"/community/q/{q.pk}/#a{first.pk}" in text
    assert "/unsubscribe/" in text and one["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert one["Auto-Submitted"] == "auto-generated"


def test_no_email_for_own_answers_or_held_answers(member: Any, newcomer: Any) -> None:
    q = ask(member)
    actions.answer_post(q, Author(account=member), body="Update: still broken.")
    actions.answer_post(q, Author(account=newcomer), body="see https://spam.example")  # held
    assert outbox("community_answer") == []


def test_reply_references_match_only_signed_ids(member: Any) -> None:
    q = ask(member)
    root = mail.thread_id(q.pk)
    assert mail.question_for_references("", f"<x@y> {root}") == q.pk
    forged = root.replace(root.split(".")[2], "0" * 20)
    assert mail.question_for_references(forged) is None
    assert mail.question_for_references("<community.q1.a2@example.org>") is None
