"""The queue page: order, views, filters, search, bulk actions, roles, query budget."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from herodesk.tickets import actions
from herodesk.tickets.models import Status, Ticket
from herodesk.web.tests.conftest import ago, make_ticket

pytestmark = pytest.mark.django_db


def ids_on(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-id="(\d+)"', html)]


def test_anonymous_visitors_are_sent_to_log_in(client: Any, team: Any) -> None:
    res = client.get("/queue/pipeline/")
    assert res.status_code == 302 and res["Location"].startswith("/login/")


def test_a_user_without_a_staff_profile_gets_the_403_page(
    login: Any, outsider: Any, team: Any
) -> None:
    res = login(outsider).get("/queue/pipeline/")
    assert res.status_code == 403
    assert b"no staff profile" in res.content


def test_the_queue_lists_open_items_by_tier_then_due_time_then_age(
    login: Any, hero: Any, team: Any, paying_requester: Any, big_requester: Any, free_requester: Any
) -> None:
    normal_old = make_ticket(team, paying_requester, created_at=ago(minutes=30))
    low = make_ticket(team, free_requester, created_at=ago(hours=3))
    high = make_ticket(team, big_requester, created_at=ago(minutes=5))
    alert = make_ticket(team, None, channel="sentry", created_at=ago(minutes=1))
    normal_new = make_ticket(team, paying_requester, created_at=ago(minutes=10))
    answered = make_ticket(team, paying_requester, created_at=ago(minutes=50))
    actions.ticket_reply(answered, author=hero, body="Hey Ana, on it.")
    res = login(hero).get("/queue/pipeline/")
    assert res.status_code == 200
    assert ids_on(res.content.decode()) == [
        alert.pk,
        high.pk,
        normal_old.pk,
        normal_new.pk,
        answered.pk,
        low.pk,
    ]


def test_first_visit_opens_the_viewers_own_team(login: Any, other_hero: Any, team: Any) -> None:
    res = login(other_hero).get("/queue/")
    assert res.status_code == 302 and res["Location"] == "/queue/monitoring/"


def test_views_mine_unassigned_and_pending(login: Any, hero: Any, ticket_factory: Any) -> None:
    mine = ticket_factory(assignee=hero)
    free = ticket_factory()
    waiting = ticket_factory()
    actions.ticket_reply(
        waiting, author=hero, body="Hey Ana, which project?", status=Status.PENDING
    )
    client = login(hero)
    # Answering claimed the unassigned ticket (the rule lives in ticket_reply).
    mine_view = client.get("/queue/pipeline/?view=mine").content.decode()
    assert ids_on(mine_view) == [mine.pk, waiting.pk]
    assert free.pk in ids_on(client.get("/queue/pipeline/?view=unassigned").content.decode())
    assert ids_on(client.get("/queue/pipeline/?view=pending").content.decode()) == [waiting.pk]
    assert client.get("/queue/pipeline/?view=nope").status_code == 400


def test_filters_by_tier_and_channel(
    login: Any, hero: Any, team: Any, paying_requester: Any, free_requester: Any
) -> None:
    t3 = make_ticket(team, paying_requester, channel="email")
    t5 = make_ticket(team, free_requester, channel="slack")
    client = login(hero)
    assert ids_on(client.get("/queue/pipeline/?tier=5").content.decode()) == [t5.pk]
    assert ids_on(client.get("/queue/pipeline/?channel=email").content.decode()) == [t3.pk]
    res = client.get("/queue/pipeline/?tier=9")
    assert res.status_code == 400 and b"tier must be" in res.content


def test_the_filter_box_searches_subjects_messages_and_notes(
    login: Any, hero: Any, ticket_factory: Any
) -> None:
    by_subject = ticket_factory(subject="Webhook returns 429")
    by_note = ticket_factory(subject="Something else")
    actions.ticket_note(by_note, author=hero, body="Looks like the webhook rate limiter")
    ticket_factory(subject="Unrelated")
    html = login(hero).get("/queue/pipeline/?q=webhook").content.decode()
    assert sorted(ids_on(html)) == sorted([by_subject.pk, by_note.pk])


def test_search_finds_solved_tickets_by_words_in_any_message(
    login: Any, hero: Any, ticket_factory: Any
) -> None:
    old = ticket_factory(subject="Export", body="The S3 bucket policy denies us")
    actions.ticket_reply(old, author=hero, body="Hey Ana, fixed the bucket", status="solved")
    ticket_factory(subject="Other", body="nothing to see")
    res = login(hero).get("/search/?q=bucket+policy")
    assert res.status_code == 200
    assert f"#{old.pk}</span>" in res.content.decode()
    assert "Other" not in res.content.decode()
    assert f"#{old.pk}" in login(hero).get(f"/search/?q=%23{old.pk}").content.decode()


def test_htmx_filter_requests_get_only_the_results(
    login: Any, hero: Any, ticket_factory: Any
) -> None:
    ticket_factory()
    res = login(hero).get("/queue/pipeline/?q=events", HTTP_HX_REQUEST="true")
    body = res.content.decode()
    assert "<table" in body and "<html" not in body


def test_the_queue_costs_the_same_queries_for_3_or_60_tickets(
    login: Any, hero: Any, team: Any, paying_requester: Any, big_requester: Any
) -> None:
    client = login(hero)
    for i in range(3):
        make_ticket(team, paying_requester if i % 2 else big_requester, assignee=hero)
    client.get("/queue/pipeline/")  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get("/queue/pipeline/").status_code == 200
    for i in range(57):
        make_ticket(
            team, paying_requester if i % 2 else big_requester, assignee=hero if i % 3 else None
        )
    with CaptureQueriesContext(connection) as large:
        res = client.get("/queue/pipeline/")
    assert len(ids_on(res.content.decode())) == 50
    assert len(large) == len(small) <= 9, [q["sql"][:80] for q in large.captured_queries]


def test_bulk_close_from_the_queue_closes_t5_and_reports_the_skipped(
    login: Any, hero: Any, team: Any, free_requester: Any, paying_requester: Any
) -> None:
    low = make_ticket(team, free_requester)
    normal = make_ticket(team, paying_requester)
    res = login(hero).post(
        "/queue/pipeline/bulk/",
        {"action": "close", "ticket": [low.pk, normal.pk], "next": "/queue/pipeline/"},
        follow=True,
    )
    assert Ticket.objects.get(pk=low.pk).status == Status.CLOSED
    assert Ticket.objects.get(pk=normal.pk).status == Status.NEW
    text = res.content.decode()
    assert "1 ticket closed." in text and f"#{normal.pk}: T3 Normal" in text


def test_bulk_assign_to_me(login: Any, hero: Any, ticket_factory: Any) -> None:
    a, b = ticket_factory(), ticket_factory()
    login(hero).post(
        "/queue/pipeline/bulk/", {"action": "assign", "assignee": "me", "ticket": [a.pk, b.pk]}
    )
    assert set(Ticket.objects.values_list("assignee__username", flat=True)) == {"hera"}


def test_bulk_refuses_a_forged_redirect_target(login: Any, hero: Any, ticket_factory: Any) -> None:
    t = ticket_factory()
    res = login(hero).post(
        "/queue/pipeline/bulk/",
        {"action": "assign", "assignee": "me", "ticket": [t.pk], "next": "https://evil.example/"},
    )
    assert res["Location"] == "/queue/pipeline/"


def test_bulk_forms_need_the_csrf_token(hero: Any, ticket_factory: Any) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(hero)
    res = client.post(
        "/queue/pipeline/bulk/",
        {"action": "assign", "assignee": "me", "ticket": [ticket_factory().pk]},
    )
    assert res.status_code == 403
    assert not Ticket.objects.filter(assignee=hero).exists()


def test_the_unrouted_queue_lists_tickets_no_rule_matched(
    login: Any, hero: Any, paying_requester: Any
) -> None:
    stray = make_ticket(None, paying_requester)
    res = login(hero).get("/queue/unrouted/")
    assert res.status_code == 200 and ids_on(res.content.decode()) == [stray.pk]
