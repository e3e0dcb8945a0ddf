"""R4: changing a tier's targets (or the support hours) moves the due times of
the clocks already running, in the same transaction, and says how many moved;
the reply is then graded against the due times the hero was shown."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from herodesk.teams import actions as team_actions
from herodesk.tickets import actions
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MONDAY_10 = datetime(2030, 1, 7, 10, 0, tzinfo=LONDON)


def local(t: datetime | None) -> datetime | None:
    return t.astimezone(LONDON) if t else None


@pytest.fixture
def running(team, paying_requester):
    ticket = actions.ticket_create(
        subject="Charts are slow",
        body="since this morning",
        actor="test",
        channel="email",
        team=team,
        requester=paying_requester,
        created_at=MONDAY_10,
    )
    assert ticket.tier == 3 and local(ticket.due_by) == MONDAY_10.replace(hour=11)
    return ticket


def test_new_targets_move_running_clocks_and_the_grade_agrees(running, lead, api_as):
    targets = {"3": {"great": 10, "okay": 30, "late": 45}}
    res = api_as(lead).patch("teams/pipeline", {"sla_targets": targets})
    assert res.status_code == 200, res.content
    assert res.json()["clocks_recomputed"] == 1
    ticket = Ticket.objects.get(pk=running.pk)
    assert local(ticket.great_by) == MONDAY_10.replace(minute=10)
    assert local(ticket.due_by) == MONDAY_10.replace(minute=30)
    assert local(ticket.late_after) == MONDAY_10.replace(minute=45)
    assert ticket.sort_due == ticket.due_by
    message = actions.ticket_reply(
        ticket, author=lead, body="Hi Ana, on it.", at=MONDAY_10.replace(minute=40)
    )
    assert message.metadata["grade"] == "slow"  # between due (10:30) and late (10:45)


def test_the_settings_action_reports_how_many_clocks_moved(running, other_team, lead):
    team = team_actions.team_set_sla_targets(
        running.team, actor=lead, targets={"3": {"great": 5, "okay": 20, "late": 60}}
    )
    assert team.clocks_recomputed == 1
    assert local(Ticket.objects.get(pk=running.pk).due_by) == MONDAY_10.replace(minute=20)
    team = team_actions.team_set_sla_targets(
        running.team,
        actor=lead,
        targets={
            "3": {"great": 5, "okay": 20, "late": 60},
            "2": {"great": 5, "okay": 9, "late": 60},
        },
    )
    assert team.clocks_recomputed == 0  # no T2 clock runs


def test_new_support_hours_move_running_clocks_too(running, lead):
    team = team_actions.team_set_support_hours(
        running.team,
        actor=lead,
        time_zone="Europe/London",
        hours={"mon": [["09:00", "10:30"]], "tue": [["09:00", "17:00"]]},
        holiday_country="GB",
        holiday_subdiv="ENG",
    )
    assert team.clocks_recomputed == 1
    due = local(Ticket.objects.get(pk=running.pk).due_by)
    assert due == datetime(2030, 1, 8, 9, 30, tzinfo=LONDON)  # 30 min Monday, 30 Tuesday


def test_gb_without_a_subdivision_is_refused_outside_the_uk(lead, api_as):
    res = api_as(lead).patch(
        "teams/pipeline",
        {"support_hours": {"time_zone": "America/New_York", "holiday_subdivision": ""}},
    )
    assert res.status_code == 422
    assert res.json()["field"] == "support_hours" and "ENG" in res.json()["detail"]


def test_the_settings_page_says_how_many_clocks_moved_and_lists_holidays(running, lead):
    from django.test import Client

    client = Client()
    client.force_login(lead)
    res = client.post(
        "/teams/pipeline/settings/hours/",
        {
            "time_zone": "Europe/London",
            "holiday_country": "GB",
            "holiday_subdiv": "",
            "hours-mon": "09:00-17:00",
            "hours-tue": "09:00-17:00",
            "sla-3-great": "10",
            "sla-3-okay": "30",
            "sla-3-late": "45",
        },
        follow=True,
    )
    page = res.content.decode()
    assert "1 running response clock(s) moved" in page
    team = Ticket.objects.get(pk=running.pk).team
    assert (team.holiday_country, team.holiday_subdiv) == ("GB", "ENG")
    assert "Next holidays, closed all day:" in page
    refused = client.post(
        "/teams/pipeline/settings/hours/",
        {"time_zone": "America/New_York", "holiday_country": "GB", "hours-mon": "09:00-17:00"},
        follow=True,
    )
    assert "choose ENG (England)" in refused.content.decode()
    assert Ticket.objects.get(pk=running.pk).team.time_zone == "Europe/London"  # nothing written
