"""The ticket page: conversation, context, reply with macros and checks, notes,
mentions, status, claim/assign, tier, hand-off; roles and query budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from herodesk.notify.models import Delivery
from herodesk.tickets import actions
from herodesk.tickets.models import Macro, Message, Status, Ticket
from herodesk.web.tests.conftest import ago

pytestmark = pytest.mark.django_db

GOOD = (
    "Hey Ana, thanks for the report and sorry for the trouble! The export failed because "
    "the bucket policy changed; once you allow our role again it runs within the hour."
)


def test_the_conversation_shows_requester_messages_replies_and_notes_apart(
    login: Any, hero: Any, ticket_factory: Any
) -> None:
    t = ticket_factory()
    actions.ticket_note(t, author=hero, body="Internal: see the ingestion incident")
    actions.ticket_reply(t, author=hero, body=GOOD)
    html = login(hero).get(f"/tickets/{t.pk}/").content.decode()
    assert html.count('class="msg k-requester"') == 1
    assert html.count('class="msg k-note"') == 1 and "Internal note" in html
    assert html.count('class="msg k-public"') == 1 and "Public reply" in html


def test_the_customer_context_panel(
    login: Any, hero: Any, admin: Any, ticket_factory: Any, paying_requester: Any
) -> None:
    org = paying_requester.organization
    org.self_hosted, org.region, org.cs_owner = True, "EU", admin
    org.save()
    older = ticket_factory(subject="An older question")
    t = ticket_factory(
        metadata={
            "context": {
                "session_recording_url": "https://app.example.com/replay/1",
                "current_url": "javascript:alert(1)",
                "app_version": "1.43.0",
            }
        }
    )
    html = login(hero).get(f"/tickets/{t.pk}/").content.decode()
    for text in (
        "Acme",
        "Teams",
        "Self-hosted",
        "An older question",
        "1.43.0",
        f'href="/tickets/{t.pk}/links/ctx_session_recording_url/"',
    ):
        assert text in html
    assert f'href="/tickets/{older.pk}/"' in html
    assert 'href="javascript:' not in html  # shown as text, never as a link


def test_customer_links_open_through_an_audited_redirect(
    login: Any, hero: Any, ticket_factory: Any, paying_requester: Any
) -> None:
    from herodesk.audit.models import Event

    org = paying_requester.organization
    org.admin_url = "https://app.example.com/admin/user/7/login-as"
    org.save()
    t = ticket_factory(metadata={"context": {"current_url": "javascript:alert(1)"}})
    client = login(hero)
    res = client.get(f"/tickets/{t.pk}/links/org_admin/")
    assert res.status_code == 302 and res["Location"] == org.admin_url
    event = Event.objects.get(action="ticket.link_opened")
    assert event.actor == hero and event.ticket == t and event.after["link"] == "org_admin"
    assert client.get(f"/tickets/{t.pk}/links/ctx_current_url/").status_code == 404
    assert client.get(f"/tickets/{t.pk}/links/org_billing/").status_code == 404


def test_the_ticket_page_costs_the_same_queries_for_2_or_40_messages(
    login: Any, hero: Any, ticket_factory: Any
) -> None:
    t = ticket_factory()
    actions.ticket_note(t, author=hero, body="first note")
    past = ticket_factory(subject="Events delayed by two hours")
    actions.ticket_reply(past, author=hero, body="The ingestion lag is over.", status=Status.SOLVED)
    client = login(hero)
    client.get(f"/tickets/{t.pk}/")
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/tickets/{t.pk}/").status_code == 200
    for i in range(38):
        actions.ticket_note(t, author=hero, body=f"note {i} @tim")
    ticket_factory(subject="another of Ana's")
    with CaptureQueriesContext(connection) as large:
        client.get(f"/tickets/{t.pk}/")
    # 14: the reply deliveries (where each public reply went) are one more query;
    # similar solved tickets three more (term counts, ranking, their answers).
    assert b"The ingestion lag is over." in client.get(f"/tickets/{t.pk}/").content
    assert len(large) == len(small) <= 17, [q["sql"][:90] for q in large.captured_queries]


def test_a_reply_is_sent_graded_and_claims_the_unassigned_ticket(
    login: Any, hero: Any, ticket_factory: Any
) -> None:
    t = ticket_factory(created_at=ago(minutes=4))
    res = login(hero).post(f"/tickets/{t.pk}/reply/", {"body": GOOD, "kind": "public"}, follow=True)
    t.refresh_from_db()
    assert t.first_response_grade == "great" and t.status == Status.OPEN
    assert t.assignee == hero
    html = res.content.decode()
    assert "First response: great" in html and 'class="grade g-great"' in html


def test_a_reply_breaking_the_rules_asks_once_before_sending(
    login: Any, hero: Any, ticket_factory: Any
) -> None:
    t = ticket_factory()
    client = login(hero)
    res = client.post(f"/tickets/{t.pk}/reply/", {"body": "fixed", "kind": "public"})
    html = res.content.decode()
    assert res.status_code == 200 and "Send anyway" in html
    assert "Hey Ana" in html and "terse" in html
    assert not Message.objects.filter(ticket=t, kind="public").exists()
    client.post(f"/tickets/{t.pk}/reply/", {"body": "fixed", "kind": "public", "send_anyway": "1"})
    assert Message.objects.filter(ticket=t, kind="public").count() == 1


def test_live_checks_warn_about_internal_links_in_public_replies(
    login: Any, hero: Any, ticket_factory: Any
) -> None:
    t = ticket_factory()
    body = GOOD + " https://acme.slack.com/archives/C1/p2"
    client = login(hero)
    res = client.post(f"/tickets/{t.pk}/checks/", {"body": body, "kind": "public"})
    assert "Internal link" in res.content.decode()
    res = client.post(f"/tickets/{t.pk}/checks/", {"body": body, "kind": "note"})
    assert "Internal link" not in res.content.decode()


def test_a_macro_fills_the_composer_and_its_status_applies_on_send(
    login: Any, hero: Any, ticket_factory: Any
) -> None:
    t = ticket_factory()
    macro = Macro.objects.get(team=None, name="Need more details")
    client = login(hero)
    res = client.get(
        f"/tickets/{t.pk}/?macro={macro.pk}", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="composer"
    )
    html = res.content.decode()
    assert html.startswith('<section id="composer"') and "Hey Ana," in html
    assert "&amp; set pending" in html
    client.post(
        f"/tickets/{t.pk}/reply/",
        {"body": "Hey Ana, " + GOOD[9:], "kind": "public", "status": "pending"},
    )
    assert Ticket.objects.get(pk=t.pk).status == Status.PENDING


def test_a_note_mentioning_a_teammate_notifies_them(
    login: Any, hero: Any, teammate: Any, ticket_factory: Any
) -> None:
    t = ticket_factory()
    res = login(hero).post(
        f"/tickets/{t.pk}/reply/",
        {"body": "@tim any idea? https://acme.slack.com/archives/C1", "kind": "note"},
        follow=True,
    )
    note = Message.objects.get(ticket=t, kind="note")
    assert Delivery.objects.filter(
        kind="mention", recipient__contains="tim@example.com", ticket=t
    ).exists()
    assert "Mentioned Tim." in res.content.decode()
    assert '<span class="mention">@tim</span>' in res.content.decode()
    assert note.body.startswith("@tim")


def test_an_empty_reply_is_refused_with_a_message(
    login: Any, hero: Any, ticket_factory: Any
) -> None:
    t = ticket_factory()
    res = login(hero).post(f"/tickets/{t.pk}/reply/", {"body": "  ", "kind": "public"}, follow=True)
    assert "the message is empty" in res.content.decode()
    assert t.messages.count() == 1


def test_status_claim_assign_and_tier(
    login: Any, hero: Any, teammate: Any, ticket_factory: Any
) -> None:
    t = ticket_factory()
    client = login(hero)
    client.post(f"/tickets/{t.pk}/assign/", {"assignee": "me"})
    assert Ticket.objects.get(pk=t.pk).assignee == hero
    client.post(f"/tickets/{t.pk}/assign/", {"assignee": "tim"})
    assert Ticket.objects.get(pk=t.pk).assignee == teammate
    client.post(f"/tickets/{t.pk}/status/", {"status": "pending"})
    assert Ticket.objects.get(pk=t.pk).status == Status.PENDING
    res = client.post(f"/tickets/{t.pk}/status/", {"status": "solved"}, follow=True)
    assert "must get a public reply" in res.content.decode()
    client.post(f"/tickets/{t.pk}/tier/", {"tier": "1"})
    assert Ticket.objects.get(pk=t.pk).tier == 1


def test_heroes_read_other_teams_tickets_but_cannot_change_them(
    login: Any, other_hero: Any, ticket_factory: Any
) -> None:
    t = ticket_factory()
    client = login(other_hero)
    page = client.get(f"/tickets/{t.pk}/")
    assert page.status_code == 200 and b"Read only" in page.content
    assert b'id="composer"' not in page.content
    for url, data in (
        (f"/tickets/{t.pk}/reply/", {"body": GOOD, "kind": "public"}),
        (f"/tickets/{t.pk}/assign/", {"assignee": "me"}),
        (f"/tickets/{t.pk}/status/", {"status": "pending"}),
        (f"/tickets/{t.pk}/handoff/", {"to": "otto", "note": "x"}),
    ):
        assert client.post(url, data).status_code == 403
    assert Ticket.objects.get(pk=t.pk).assignee is None and t.messages.count() == 1


def test_people_without_a_staff_profile_never_see_tickets_or_notes(
    login: Any, outsider: Any, hero: Any, ticket_factory: Any
) -> None:
    t = ticket_factory()
    actions.ticket_note(t, author=hero, body="secret internal note")
    res = login(outsider).get(f"/tickets/{t.pk}/")
    assert res.status_code == 403 and b"secret internal note" not in res.content


def test_an_unknown_ticket_is_a_404(login: Any, hero: Any) -> None:
    assert login(hero).get("/tickets/999999/").status_code == 404


def test_hand_off_lists_people_working_now_same_team_first(
    login: Any, hero: Any, teammate: Any, other_hero: Any, ticket_factory: Any
) -> None:
    from herodesk.teams.models import Person

    # Everyone works around the clock so the test does not depend on the hour.
    always = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    Person.objects.update(hours=always, holiday_country="")
    t = ticket_factory()
    html = login(hero).get(f"/tickets/{t.pk}/handoff/").content.decode()
    assert html.index("Tim") < html.index("Otto")
    assert "same team" in html and "Hera</strong>" not in html
    assert "working until" not in html  # around the clock: no end to show


def test_hand_off_reassigns_with_a_note_and_notifies(
    login: Any, hero: Any, teammate: Any, ticket_factory: Any
) -> None:
    t = ticket_factory(assignee=hero)
    client = login(hero)
    res = client.post(f"/tickets/{t.pk}/handoff/", {"to": "tim", "note": ""})
    assert b"Write a short note" in res.content and Ticket.objects.get(pk=t.pk).assignee == hero
    res = client.post(
        f"/tickets/{t.pk}/handoff/", {"to": "tim", "note": "Needs the S3 logs; EOD here."}
    )
    assert res.status_code == 302
    t.refresh_from_db()
    assert t.assignee == teammate
    note = t.messages.get(kind="note")
    assert "Needs the S3 logs" in note.body and note.author == hero
    assert Delivery.objects.filter(kind="handoff", ticket=t).exists()
