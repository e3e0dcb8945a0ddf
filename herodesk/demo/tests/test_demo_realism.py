"""The demo looks like a real week: alerts as alerts, GitHub issues as issues,
community questions with their page, CS escalations from Slack, varied
subjects, tickets in each state; every public reply went where it could."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from herodesk.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def test_each_channel_looks_like_its_source_and_replies_follow_it():
    call_command("demo", stdout=io.StringIO())
    sentry = Ticket.objects.filter(channel="sentry")
    assert sentry.exists() and not sentry.filter(requester__isnull=False).exists()
    assert all("Hi team" not in m.body for m in Message.objects.filter(ticket__in=sentry))
    for t in Ticket.objects.filter(channel="github"):
        assert t.metadata["github"]["repository"] and t.external_url.startswith(
            "https://github.com/"
        )
    assert all(
        t.metadata["community"]["page_url"] for t in Ticket.objects.filter(channel="community")
    )
    assert set(Ticket.objects.filter(channel="cs_escalation").values_list("tier", flat=True)) == {1}
    assert not Ticket.objects.filter(channel="github", tier=1).exists()
    for slug in ("product-analytics", "pipeline"):
        subjects = Counter(Ticket.objects.filter(team__slug=slug).values_list("subject", flat=True))
        assert max(subjects.values()) <= 3, subjects.most_common(3)
    assert set(Ticket.objects.values_list("status", flat=True)) >= {
        "new",
        "open",
        "pending",
        "solved",
    }
    public = Message.objects.filter(
        kind="public", ticket__channel__in=["community", "github", "sentry"]
    )
    assert not public.exists()  # answered at the source, never "sent" from the desk
