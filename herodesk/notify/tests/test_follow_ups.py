""" "Looking into it" sets a follow-up one working day out; the next public
reply clears it; a due follow-up reminds the person who promised, once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client

from herodesk.notify import follow_ups
from herodesk.notify.tests.conftest import run_jobs
from herodesk.tickets import actions
from herodesk.tickets.models import Macro, Ticket
from herodesk.web.tests.conftest import make_ticket

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MON_10 = datetime(2030, 1, 7, 10, 0, tzinfo=LONDON)


def test_the_looking_into_it_macro_follows_up_a_working_day_later(team, hero, paying_requester):
    macro = Macro.objects.get(team__isnull=True, name="Looking into it")
    assert macro.follow_up
    t = make_ticket(team, paying_requester)
    client = Client()
    client.force_login(hero)
    page = client.get(f"/tickets/{t.pk}/?macro={macro.pk}").text
    assert "you'll be reminded after a working day" in page
    client.post(
        f"/tickets/{t.pk}/reply/",
        {
            "body": "Hey Ana, looking into it.",
            "kind": "public",
            "macro": str(macro.pk),
            "send_anyway": "1",
        },
    )
    t.refresh_from_db()
    assert t.follow_up_user == hero and t.follow_up_at is not None
    assert "Get back to them by" in client.get(f"/tickets/{t.pk}/").text


def test_a_due_follow_up_reminds_once_and_a_reply_clears_it(team, hero, paying_requester):
    t = make_ticket(team, paying_requester, created_at=MON_10)
    actions.ticket_reply(t, author=hero, body="Hi Ana, on it.", at=MON_10, follow_up=True)
    t.refresh_from_db()
    assert t.follow_up_at == datetime(2030, 1, 8, 10, 0, tzinfo=LONDON)  # 8 working hours
    assert follow_ups.due(t.follow_up_at - timedelta(minutes=1)) == 0
    assert follow_ups.due(t.follow_up_at + timedelta(minutes=1)) == 1
    assert follow_ups.due(t.follow_up_at + timedelta(minutes=6)) == 0  # once
    run_jobs()
    [reminder] = [m for m in mail.outbox if "Get back to" in m.subject]
    assert reminder.to == [hero.email] and "looking into" in reminder.body
    actions.ticket_reply(t, author=hero, body="Hi Ana, fixed.", at=MON_10 + timedelta(days=1))
    t.refresh_from_db()
    assert t.follow_up_at is None and t.follow_up_user is None
    assert Ticket.objects.filter(follow_up_at__isnull=False).count() == 0
