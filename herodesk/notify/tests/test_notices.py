"""Notices to people and channels: assignments, swaps, and what is not sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from herodesk.notify.models import Delivery
from herodesk.notify.tests.conftest import ok_post, run_jobs, slack_posts
from herodesk.rotations import actions as rotation_actions
from herodesk.rotations.actions import swaps
from herodesk.tickets import actions

pytestmark = pytest.mark.django_db
START = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)


def test_being_assigned_by_someone_else_is_notified_but_claiming_is_not(
    team, hero, teammate, paying_requester
):
    t = actions.ticket_create(
        subject="Charts slow",
        body="…",
        actor="api",
        channel="api",
        team=team,
        requester=paying_requester,
    )
    actions.ticket_assign(t, hero, actor=hero)  # a claim
    actions.ticket_assign(t, teammate, actor=hero)
    actions.ticket_assign(t, hero, actor="handoff")  # jobs send their own notices
    run_jobs()
    assigned = [m for m in mail.outbox if "assigned you" in m.subject]
    assert [m.to for m in assigned] == [["tim@example.com"]]
    assert assigned[0].subject == f"[HD#{t.pk}] Hera assigned you: Charts slow"
    assert f"/tickets/{t.pk}/" in assigned[0].body


def test_a_slack_ticket_from_the_team_channel_is_not_announced_there_again(
    slack_api, team, paying_requester
):
    ok_post(slack_api)
    team.slack_channel = "C0SUPPORT"
    team.save()
    actions.ticket_create(
        subject="Help",
        body="…",
        actor="slack",
        channel="slack",
        team=team,
        requester=paying_requester,
        metadata={"slack": {"channel": "C0SUPPORT", "thread_ts": "1.2"}},
    )
    run_jobs()
    assert slack_posts(slack_api) == []
    assert not Delivery.objects.exists()


def test_nothing_is_posted_to_slack_when_slack_is_not_configured(team, paying_requester, settings):
    settings.HERODESK_SLACK_BOT_TOKEN = ""
    team.slack_channel = "C0SUPPORT"
    team.save()
    actions.ticket_create(
        subject="Help", body="…", actor="api", channel="api", team=team, requester=paying_requester
    )
    assert not Delivery.objects.filter(transport="slack").exists()


@pytest.fixture
def rota(team, admin, lead, hero, teammate):
    rotation_actions.rotation_set(
        team, members=["hera", "tim"], start=START, actor=admin, now=START - timedelta(days=30)
    )
    mail.outbox.clear()
    return team


def test_swap_request_and_answer_reach_the_other_person(rota, hero, teammate):
    asked = swaps.swap_request(
        hero.person,
        team=rota,
        counterpart="tim",
        actor=hero,
        shift=START + timedelta(days=1),
        counterpart_shift=START + timedelta(days=8),
        message="Dentist on Tuesday",
        now=START - timedelta(days=20),
    )
    run_jobs()
    [request] = [m for m in mail.outbox if m.subject.startswith("Swap")]
    assert request.to == ["tim@example.com"]
    assert "Hera asks you to swap Support Hero shifts on Pipeline" in request.body
    assert "Their message: “Dentist on Tuesday”" in request.body
    mail.outbox.clear()

    swaps.swap_accept(asked, actor=teammate, now=START - timedelta(days=19))
    run_jobs()
    answer = [m for m in mail.outbox if m.subject.startswith("Swap")]
    assert [m.to for m in answer] == [["hera@example.com"]]
    assert f"Tim accepted your swap request #{asked.pk}" in answer[0].body
    changed = [m for m in mail.outbox if "shifts for Pipeline changed" in m.subject]
    assert [m.to for m in changed] == [["hera@example.com"]]  # tim made the change himself
