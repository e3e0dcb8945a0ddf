"""Every channel's answer path: where a public reply goes, or why it is refused."""

from __future__ import annotations

import pytest

from herodesk.domain.answer_paths import AnswerPath, Facts, Transport, decide

ISSUE = "https://github.com/acme/app/issues/7"


def test_email_channels_email_the_requester_except_on_t5() -> None:
    normal = decide(Facts(AnswerPath.EMAIL, tier=3, requester_email="ana@acme.example"))
    assert normal.public and normal.delivered and normal.transport == Transport.EMAIL
    assert normal.where == "by email to ana@acme.example"
    low = decide(Facts(AnswerPath.EMAIL, tier=5, requester_email="fay@tiny.example"))
    assert low.public and not low.delivered and "gets no email" in low.note
    nobody = decide(Facts(AnswerPath.EMAIL, tier=3))
    assert nobody.public and not nobody.delivered and "no requester email" in nobody.where


def test_github_comments_need_a_token_else_answer_on_github() -> None:
    with_token = decide(
        Facts(AnswerPath.GITHUB_COMMENT, tier=4, github_token=True, source_url=ISSUE)
    )
    assert with_token.delivered and with_token.transport == Transport.GITHUB
    without = decide(Facts(AnswerPath.GITHUB_COMMENT, tier=4, source_url=ISSUE))
    assert not without.public and without.mark_answered
    assert (without.link_label, without.link_url) == ("Answer on GitHub", ISSUE)
    assert ISSUE in without.refusal and "HERODESK_GITHUB_TOKEN" in without.refusal


def test_community_questions_are_answered_on_the_page_only() -> None:
    url = "https://herodesk.localhost/community/q/12"
    answer = decide(
        Facts(AnswerPath.ON_PAGE, tier=4, requester_email="x@y.example", source_url=url)
    )
    assert not answer.public and answer.link_label == "Answer on the page" and url in answer.refusal


@pytest.mark.parametrize("email", ["", "nadia@hooli.example"])
def test_alerts_take_notes_and_reply_only_to_a_linked_requester(email: str) -> None:
    answer = decide(
        Facts(AnswerPath.ALERT, tier=0, requester_email=email, source_url="https://s/1")
    )
    assert answer.public == bool(email)
    if email:
        assert answer.transport == Transport.EMAIL and email in answer.where
    else:
        assert "internal note" in answer.refusal and answer.link_label == "Open in Sentry"


def test_slack_tickets_answer_in_their_thread_when_slack_is_on() -> None:
    on = decide(Facts(AnswerPath.SLACK_THREAD, tier=1, slack_thread=True, slack_enabled=True))
    assert on.delivered and on.where == "in the Slack thread"
    off = decide(Facts(AnswerPath.SLACK_THREAD, tier=1, slack_thread=True))
    assert off.public and not off.delivered and "HERODESK_SLACK_BOT_TOKEN" in off.where
