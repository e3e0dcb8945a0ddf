"""R3: an override inside a rotation turn is cover, not a hand-off: no report,
no tickets moved; the cover and the hero get a short notice at each edge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from herodesk.notify import handoff
from herodesk.notify.models import Delivery, HandoffReport
from herodesk.rotations import actions as rotation_actions
from herodesk.rotations.actions import override_create
from herodesk.tickets import actions

pytestmark = pytest.mark.django_db
START = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)  # Monday 09:00 London: hera's week
COVER_START = START + timedelta(days=2, hours=4)  # Wednesday 13:00
COVER_END = COVER_START + timedelta(hours=3)


@pytest.fixture
def covered(team, admin, lead, hero, teammate, paying_requester):
    rotation_actions.rotation_set(
        team, members=["hera", "tim"], start=START, actor=admin, now=START - timedelta(days=30)
    )
    override_create(
        team,
        person=teammate,
        start=COVER_START,
        end=COVER_END,
        actor=hero,
        reason="dentist",
        now=START,
    )
    ticket = actions.ticket_create(
        subject="Acme: slow charts",
        body="details",
        actor="test",
        channel="api",
        team=team,
        requester=paying_requester,
        assignee=hero,
        created_at=START + timedelta(hours=1),
    )
    Delivery.objects.all().delete()
    return ticket


def test_a_three_hour_cover_makes_no_handoff_report_and_moves_nothing(covered, hero):
    for at in (COVER_START, COVER_END):
        assert handoff.run(at + timedelta(seconds=30))["reports"] == 0
    assert not HandoffReport.objects.exists()
    covered.refresh_from_db()
    assert covered.assignee == hero  # hera's own ticket stays hers


def test_the_cover_and_the_hero_get_one_short_notice_per_edge(covered, hero, teammate):
    handoff.run(COVER_START + timedelta(seconds=30))
    handoff.run(COVER_START + timedelta(seconds=90))
    started = Delivery.objects.filter(kind="cover_start")
    assert list(started.values_list("recipient", flat=True)) == ["tim@example.com"]
    assert "until Wed 9 Jan 11:00 EST" in started.get().payload["text"]  # tim's own zone
    handoff.run(COVER_END + timedelta(seconds=30))
    ended = Delivery.objects.filter(kind="cover_end")
    assert list(ended.values_list("recipient", flat=True)) == ["hera@example.com"]
    assert "Tim's cover ended" in ended.get().payload["text"]


def test_the_rotation_handoff_still_happens_at_the_end_of_the_turn(covered, hero, teammate):
    report_at = START + timedelta(days=7)
    assert handoff.run(report_at + timedelta(seconds=30))["reports"] == 1
    report = HandoffReport.objects.get()
    assert (report.outgoing, report.incoming) == (hero, teammate)
    covered.refresh_from_db()
    assert covered.assignee == teammate


def test_the_cover_gets_a_day_before_reminder_once_and_the_end_gets_none(covered, teammate):
    assert handoff.run(COVER_START - timedelta(hours=25))["reminders"] == 0  # too early
    assert handoff.run(COVER_START - timedelta(hours=23))["reminders"] == 1
    assert handoff.run(COVER_START - timedelta(hours=20))["reminders"] == 0  # once
    reminder = Delivery.objects.get(kind="shift_reminder", transport="email")
    assert reminder.recipient == "tim@example.com"
    # the cover's own end, in tim's zone: not the rest of hera's week
    assert "Wed 9 Jan 08:00 EST until Wed 9 Jan 11:00 EST" in reminder.payload["text"]
    # hera taking over again at the cover's end is no shift start: no reminder for it
    assert handoff.run(COVER_END - timedelta(hours=23))["reminders"] == 0
    assert not Delivery.objects.filter(kind="shift_reminder", recipient="hera@example.com")
