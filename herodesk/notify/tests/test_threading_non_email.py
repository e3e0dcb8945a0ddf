"""Email threading of tickets that did not start as an email (API, bug report,
Slack-forwarded): every mail after the desk's first one answers it, so the
customer's mail client keeps one conversation."""

from __future__ import annotations

import pytest

from herodesk.notify.tests.conftest import run_jobs
from herodesk.tickets import actions

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("channel", ["api", "bug_report"])
def test_the_reply_threads_under_the_acknowledgement(
    smtp, settings, team, hero, paying_requester, channel
):
    settings.HERODESK_EMAIL_COMBINE_SECONDS = 0
    ticket = actions.ticket_create(
        subject="Export fails",
        body="The export stops at 40%.",
        actor="api",
        channel=channel,
        team=team,
        requester=paying_requester,
    )
    run_jobs()
    [ack] = smtp.inbox.messages
    actions.ticket_reply(ticket, author=hero, body="Hi Ana, fixed in 2.4.1.")
    run_jobs()
    first_reply = smtp.inbox.messages[1]
    assert first_reply["In-Reply-To"] == ack["Message-ID"]
    assert ack["Message-ID"] in str(first_reply["References"])
    actions.ticket_reply(ticket, author=hero, body="Hi Ana, one more thing.")
    run_jobs()
    second = smtp.inbox.messages[2]
    assert second["In-Reply-To"] == first_reply["Message-ID"]
    refs = str(second["References"]).split()
    assert refs[-2:] == [ack["Message-ID"], first_reply["Message-ID"]]
    assert second["Subject"] == first_reply["Subject"] == f"Re: Export fails [HD#{ticket.pk}]"
