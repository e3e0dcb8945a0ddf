"""Hand-offs: the end-of-rotation report at the handoff instant (items, notes,
moves, channel, emails, API, page), shift notices, and end-of-day hand-offs
and @mentions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from herodesk.notify import handoff
from herodesk.notify.handoff import notify_handoff
from herodesk.notify.models import Delivery, DeliveryStatus, HandoffReport
from herodesk.notify.notices import notify_mention
from herodesk.notify.tests.conftest import (
    POSTGRES,
    in_threads,
    make_email_ticket,
    ok_post,
    run_jobs,
    slack_posts,
)
from herodesk.rotations import actions as rotation_actions
from herodesk.tickets import actions

pytestmark = pytest.mark.django_db
START = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)  # Monday 09:00 London (GMT): hera's week
HANDOFF = START + timedelta(days=7)  # hera → tim
BEFORE = START + timedelta(days=3)


@pytest.fixture
def rota(team, admin, lead, hero, teammate):
    rotation_actions.rotation_set(
        team, members=["hera", "tim"], start=START, actor=admin, now=START - timedelta(days=30)
    )
    Delivery.objects.all().delete()
    return team


def ticket(subject, *, team, channel="api", requester=None, assignee=None, tier=None):
    return actions.ticket_create(
        subject=subject,
        body="details",
        actor="test",
        channel=channel,
        team=team,
        requester=requester,
        assignee=assignee,
        tier=tier,
        created_at=BEFORE,
    )


@pytest.fixture
def items(rota, hero, teammate, big_requester, paying_requester, free_requester):
    team = rota
    alert = ticket("Sentry: ingestion 500s", team=team, channel="sentry", assignee=hero)
    actions.ticket_note(alert, author=hero, body="rolled back the deploy", at=BEFORE)
    actions.ticket_note(
        alert, author=hero, body="watching the error rate", at=BEFORE + timedelta(hours=1)
    )
    actions.ticket_note(
        alert, author=teammate, body="tim's own idea", at=BEFORE + timedelta(hours=2)
    )
    escalation = ticket("Acme: exports stuck", team=team, channel="cs_escalation", assignee=hero)
    actions.ticket_note(escalation, author=teammate, body="not hera's", at=BEFORE)
    high = ticket("Globex: SSO broken", team=team, requester=big_requester, assignee=hero)
    actions.ticket_reply(high, author=hero, body="Hey Gus, looking.", at=BEFORE)
    actions.ticket_set_status(high, "pending", actor=hero, at=BEFORE)
    normal = ticket("Acme: slow charts", team=team, requester=paying_requester)
    community = ticket("Forum: how to filter", team=team, channel="community", assignee=teammate)
    low = ticket("Free: question", team=team, requester=free_requester, assignee=hero)
    solved = ticket("Acme: done", team=team, requester=paying_requester, assignee=hero)
    actions.ticket_reply(solved, author=hero, body="Hey Ana, fixed.", at=BEFORE, status="solved")
    return {
        "alert": alert,
        "escalation": escalation,
        "high": high,
        "normal": normal,
        "community": community,
        "low": low,
        "solved": solved,
    }


def test_report_is_made_at_the_handoff_instant_and_moves_the_outgoing_heros_items(
    items, hero, teammate
):
    assert handoff.run(HANDOFF - timedelta(seconds=1))["reports"] == 0
    assert handoff.run(HANDOFF + timedelta(seconds=30))["reports"] == 1
    assert handoff.run(HANDOFF + timedelta(seconds=90))["reports"] == 0  # once

    report = HandoffReport.objects.get()
    assert (report.instant, report.outgoing, report.incoming) == (HANDOFF, hero, teammate)
    listed = [i["ticket"] for i in report.items]
    expected = ["alert", "escalation", "high", "normal", "community"]  # T0–T4, queue order
    assert listed == [items[k].pk for k in expected]
    by_id = {i["ticket"]: i for i in report.items}
    assert by_id[items["alert"].pk]["note"]["body"] == "watching the error rate"
    assert by_id[items["escalation"].pk]["note"] is None  # only the outgoing hero's notes
    assert report.moved == 3
    for key in ("alert", "escalation", "high"):
        items[key].refresh_from_db()
        assert items[key].assignee == teammate
        assert by_id[items[key].pk]["moved"] and by_id[items[key].pk]["previous_assignee"] == "hera"
    for key, who in (("normal", None), ("community", teammate), ("low", hero), ("solved", hero)):
        items[key].refresh_from_db()
        assert items[key].assignee == who


def test_report_is_emailed_to_both_heroes_and_posted_to_the_team_channel(
    slack_api, items, team, teammate
):
    ok_post(slack_api)
    team.slack_channel = "C0SUPPORT"
    team.save()
    teammate.person.slack_user_id = "U0TIM"
    teammate.person.save()
    handoff.run(HANDOFF + timedelta(seconds=30))
    run_jobs()

    posts = slack_posts(slack_api)
    channel = [p for p in posts if p["channel"] == "C0SUPPORT"]
    [report_post] = [p for p in channel if "Hand-off for Pipeline" in p["text"]]
    # Next to it, the finished hero-week's digest (herodesk.reports.digest).
    [digest] = [p for p in channel if p is not report_post]
    assert "Last week's numbers for Pipeline" in digest["text"]
    assert "Hera → <@U0TIM>" in report_post["text"]
    assert "5 unresolved item(s), 3 moved" in report_post["text"]
    assert "watching the error rate" in report_post["text"]
    [shift_start] = [p for p in posts if p["channel"] == "U0TIM"]
    assert "shift for Pipeline starts now" in shift_start["text"]
    assert "until Mon 21 Jan 04:00 EST" in shift_start["text"]  # in his own zone
    emails = {m.to[0]: m for m in mail.outbox if "Hand-off" in m.subject or "hand-off" in m.subject}
    incoming = emails["tim@example.com"]
    assert incoming.subject == "You're Support Hero for Pipeline: hand-off from Hera"
    assert emails["hera@example.com"].subject == "Hand-off to Tim (Pipeline)"
    body = emails["tim@example.com"].body
    assert f"#{items['alert'].pk}" in body and "watching the error rate" in body
    assert f"#{items['low'].pk}" not in body
    assert isinstance(incoming, EmailMultiAlternatives)
    assert "<table" in str(incoming.alternatives[0][0])


def test_handoff_reports_are_listed_and_shown_by_the_api(items, api_as, teammate, outsider):
    handoff.run(HANDOFF + timedelta(seconds=30))
    report = HandoffReport.objects.get()

    res = api_as(teammate).get("teams/pipeline/handoffs")
    assert res.status_code == 200
    [row] = res.json()
    assert row["id"] == report.pk and row["outgoing"] == "hera" and row["incoming"] == "tim"
    assert row["items_count"] == 5 and row["moved"] == 3
    assert row["instant"] == HANDOFF.isoformat()

    detail = api_as(teammate).get(f"teams/pipeline/handoffs/{report.pk}").json()
    first = detail["items"][0]
    assert first["ticket"] == items["alert"].pk and first["tier"] == 0
    assert first["note"]["body"] == "watching the error rate" and first["assignee"] == "tim"

    assert api_as(outsider).get("teams/pipeline/handoffs").status_code == 403
    assert api_as(teammate).get("teams/nope/handoffs").status_code == 404
    missing = api_as(teammate).get(f"teams/pipeline/handoffs/{report.pk + 99}")
    assert missing.status_code == 404
    bad = api_as(teammate).get("teams/pipeline/handoffs?limit=0")
    assert bad.status_code == 422 and bad.json()["field"] == "limit"


def test_handoff_report_pages_show_the_items_and_notes(items, client, hero, outsider):
    handoff.run(HANDOFF + timedelta(seconds=30))
    report = HandoffReport.objects.get()
    client.force_login(hero)
    listing = client.get("/teams/pipeline/handoffs/")
    assert listing.status_code == 200 and f"/teams/pipeline/handoffs/{report.pk}/" in listing.text
    page = client.get(f"/teams/pipeline/handoffs/{report.pk}/")
    assert page.status_code == 200
    assert "Hand-off: Hera → Tim" in page.text and "watching the error rate" in page.text
    assert "/teams/pipeline/handoffs/" in client.get("/schedule/pipeline/").text  # linked
    client.force_login(outsider)
    assert client.get(f"/teams/pipeline/handoffs/{report.pk}/").status_code == 403


def test_day_before_reminder_goes_to_whoever_starts_tomorrow_once(rota, teammate):
    assert handoff.run(HANDOFF - timedelta(hours=25))["reminders"] == 0  # too early
    assert handoff.run(HANDOFF - timedelta(hours=23))["reminders"] == 1
    assert handoff.run(HANDOFF - timedelta(hours=22))["reminders"] == 0
    run_jobs()
    [reminder] = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert reminder.to == ["tim@example.com"]
    assert "Tomorrow you're Support Hero for Pipeline: Mon 14 Jan 04:00 EST" in reminder.body


def test_end_of_day_handoff_notifies_the_chosen_person_by_email_and_slack(
    slack_api, team, hero, teammate, paying_requester
):
    ok_post(slack_api)
    teammate.person.slack_user_id = "U0TIM"
    teammate.person.save()
    t = make_email_ticket(paying_requester, team=team)
    actions.ticket_assign(t, hero, actor=hero)
    with transaction.atomic():  # as the desk's Hand-off action does
        actions.ticket_assign(t, teammate, actor=hero, note="Handed off: waiting on logs")
        notify_handoff(t, hero, teammate, "They sent logs; check the S3 policy.")
    run_jobs()

    [dm] = [p for p in slack_posts(slack_api) if p["channel"] == "U0TIM"]
    assert "handed you" in dm["text"] and "check the S3 policy" in dm["text"]
    [note_mail] = [m for m in mail.outbox if m.to == ["tim@example.com"]]
    assert note_mail.subject == f"[HD#{t.pk}] Hera handed you: Export fails"
    assert "Their note: “They sent logs; check the S3 policy.”" in note_mail.body
    assigned = Delivery.objects.filter(kind="assigned")
    assert set(assigned.values_list("status", flat=True)) == {DeliveryStatus.CANCELLED}


def test_mentions_notify_each_person_named_once_but_not_the_author(
    team, hero, teammate, lead, paying_requester
):
    t = make_email_ticket(paying_requester, team=team)
    note = actions.ticket_note(t, author=hero, body="@tim @lena any idea? @hera")
    notify_mention(t, note, [teammate, lead, hero, teammate])
    notify_mention(t, note, [teammate])  # a retried request sends nothing new
    run_jobs()
    mentions = [m for m in mail.outbox if "mentioned you" in m.subject]
    assert sorted(m.to[0] for m in mentions) == ["lena@example.com", "tim@example.com"]
    assert "“@tim @lena any idea? @hera”" in mentions[0].body


def test_handoff_list_costs_the_same_queries_whatever_the_number_of_reports(rota, api_as, teammate):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(teammate)
    client.get("teams/pipeline/handoffs")  # the token's first use is recorded once
    handoff.run(HANDOFF + timedelta(seconds=30))
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("teams/pipeline/handoffs").json()) == 1
    for week in (2, 3):
        handoff.run(START + timedelta(days=7 * week, seconds=30))
    with CaptureQueriesContext(connection) as three:
        assert len(client.get("teams/pipeline/handoffs").json()) == 3
    assert len(three) == len(one)


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_handoff_job_at_once_make_one_report(items, teammate):
    def run():
        handoff.run(HANDOFF + timedelta(seconds=30))

    if POSTGRES:
        in_threads(run, run)
    else:
        run()
        run()
    assert HandoffReport.objects.count() == 1
    assert Delivery.objects.filter(kind="handoff").count() == 2  # one email to each hero
    items["alert"].refresh_from_db()
    assert items["alert"].assignee == teammate
