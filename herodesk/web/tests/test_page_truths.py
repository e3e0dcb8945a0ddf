"""The smaller things the pages said that were not true (issue 11): "Mine"
across teams, overdue inside "Breaching soon", "Toolate", time off one day
too long, hand-off candidates in the viewer's zone, a blank /api/v1/docs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from conftest import make_user
from herodesk.teams.models import Membership
from herodesk.tickets import actions
from herodesk.web.tests.conftest import ago, make_ticket

pytestmark = pytest.mark.django_db


def ids_on(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-id="(\d+)"', html)]


@pytest.fixture
def two_teams(team: Any, other_team: Any, hero: Any, paying_requester: Any) -> dict[str, Any]:
    Membership.objects.create(team=other_team, person=hero.person)
    return {
        "here": make_ticket(team, paying_requester, subject="Pipeline item", assignee=hero),
        "there": make_ticket(
            other_team, paying_requester, subject="Monitoring item", assignee=hero
        ),
    }


def test_mine_on_a_team_queue_is_that_teams_and_all_teams_mine_has_both(
    login: Any, hero: Any, two_teams: dict[str, Any]
) -> None:
    client = login(hero)
    team_mine = client.get("/queue/pipeline/?view=mine")
    assert ids_on(team_mine.content.decode()) == [two_teams["here"].pk]
    everywhere = client.get("/queue/mine/")
    assert everywhere.status_code == 200
    assert sorted(ids_on(everywhere.content.decode())) == sorted(t.pk for t in two_teams.values())
    assert "Monitoring" in everywhere.content.decode()


def test_overdue_tickets_have_their_own_view_not_breaching_soon(
    login: Any, hero: Any, team: Any, paying_requester: Any
) -> None:
    overdue = make_ticket(team, paying_requester, subject="Days late", created_at=ago(days=5))
    soon = make_ticket(team, paying_requester, subject="Due soon", created_at=timezone.now())
    client = login(hero)
    assert ids_on(client.get("/queue/pipeline/?view=overdue").content.decode()) == [overdue.pk]
    breaching = ids_on(client.get("/queue/pipeline/?view=breaching").content.decode())
    assert overdue.pk not in breaching
    assert soon.due_by is not None and soon.due_by > timezone.now()


def test_a_late_grade_reads_too_late(
    login: Any, hero: Any, team: Any, paying_requester: Any
) -> None:
    t = make_ticket(team, paying_requester, created_at=ago(days=5))
    actions.ticket_reply(t, author=hero, body="Hi Ana, sorry for the wait.")
    page = login(hero).get(f"/tickets/{t.pk}/").content.decode()
    assert "Too late" in page and "Toolate" not in page


def test_time_off_shows_its_last_day_not_the_day_after(login: Any, hero: Any) -> None:
    from herodesk.rotations.actions import time_off_create

    london = hero.person.time_zone
    start = datetime(2031, 12, 3, tzinfo=UTC)  # whole days in London (GMT in December)
    time_off_create(hero.person, start, start + timedelta(days=2), hero, reason="move")
    with time_machine.travel(datetime(2031, 11, 20, 12, tzinfo=UTC), tick=False):
        page = login(hero).get("/schedule/").content.decode()
    assert london == "Europe/London"
    assert "Wed 3 Dec → Thu 4 Dec" in page and "Fri 5 Dec" not in page


def test_handoff_candidates_show_their_own_local_time(
    login: Any, hero: Any, team: Any, paying_requester: Any
) -> None:
    lucia = make_user("lucia", team=team, tz="America/Sao_Paulo")
    denver = make_user("dana", team=team, tz="America/Denver")
    for user in (lucia, denver):
        user.person.hours = {d: [["08:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
        user.person.save()
    t = make_ticket(team, paying_requester)
    # Tuesday 16:45 in London = 13:45 in São Paulo = 09:45 in Denver.
    with time_machine.travel(datetime(2030, 1, 8, 16, 45, tzinfo=UTC), tick=False):
        page = login(hero).get(f"/tickets/{t.pk}/handoff/").content.decode()
    assert "13:45 in São Paulo, until 18:00" in page
    assert "09:45 in Denver, until 18:00" in page
    assert "16:45 local" not in page


def test_api_docs_load_their_assets_from_the_desk_not_a_cdn(client: Any) -> None:
    for path in ("/api/v1/docs", "/api/v1/redoc"):
        page = client.get(path)
        assert page.status_code == 200, path
        html = page.content.decode()
        assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
        assert "/static/" in html
    assert "swagger-ui-bundle.js" in client.get("/api/v1/docs").content.decode()


def test_a_weekend_handoff_names_the_next_person_available_and_keeps_the_note(
    login: Any, hero: Any, team: Any, paying_requester: Any
) -> None:
    lucia = make_user("lucia", team=team, tz="America/Sao_Paulo")
    t = make_ticket(team, paying_requester)
    # Saturday 12:00 UTC: nobody's weekday hours.
    with time_machine.travel(datetime(2030, 1, 12, 12, 0, tzinfo=UTC), tick=False):
        page = login(hero).get(f"/tickets/{t.pk}/handoff/").content.decode()
    assert "Next available:" in page and "Mon 09:00 London" not in page
    assert "Lucia" in page or "lucia" in page
    assert 'name="note"' in page and "Leave an internal note instead" in page
    assert lucia.person.time_zone == "America/Sao_Paulo"


def test_the_composer_says_where_a_reply_goes_on_each_channel(
    login: Any, hero: Any, team: Any, paying_requester: Any, free_requester: Any
) -> None:
    client = login(hero)
    email = make_ticket(team, paying_requester)
    assert "Goes out by email to ana@acme.example" in client.get(f"/tickets/{email.pk}/").text
    low = make_ticket(team, free_requester)
    assert "the requester gets no email" in client.get(f"/tickets/{low.pk}/").text
    question = make_ticket(
        team,
        paying_requester,
        channel="community",
        metadata={"community": {"url": "https://herodesk.localhost/community/q/4"}},
    )
    page = client.get(f"/tickets/{question.pk}/").text
    assert "Answer on the page" in page and 'id="kind-public"' not in page
    assert "https://herodesk.localhost/community/q/4" in page and "Mark answered" in page
    res = client.post(
        f"/tickets/{question.pk}/reply/", {"body": "Hi!", "kind": "public"}, follow=True
    )
    assert "answered on the page where they were asked" in res.text
    assert not question.messages.filter(kind="public").exists()
    client.post(f"/tickets/{question.pk}/answered/")
    question.refresh_from_db()
    assert question.status == "solved"
    assert question.messages.filter(kind="note", body__startswith="Answered at the source").exists()


def test_a_whole_shift_swap_warns_about_an_unequal_trade_and_preselects_a_future_shift(
    login: Any, hero: Any, teammate: Any, team: Any, admin: Any
) -> None:
    from herodesk.rotations import actions as rotation_actions

    monday = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)  # hera's week, then tim's, then hera's…
    with time_machine.travel(monday + timedelta(days=5, hours=10), tick=False):  # Sat 19:00
        rotation_actions.rotation_set(
            team, members=["hera", "tim"], start=monday, handoff_weekday=0, actor=admin
        )
        page = login(hero).get(
            "/schedule/swaps/new/",
            {"team": "pipeline", "shift": monday.isoformat(), "counterpart": "tim"},
        )
    html = page.content.decode()
    assert "Your shift is already in progress: only the rest (1.6 days) is traded." in html
    assert "Unequal trade: you give 1.6 days and take 7 days." in html
    next_week = (monday + timedelta(days=7)).isoformat()
    assert f'value="{next_week}" selected' in html
