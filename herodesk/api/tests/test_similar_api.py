"""GET /api/v1/tickets/{id}/similar: shape, roles, bad input, query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from herodesk.tickets.models import Status
from herodesk.tickets.tests.test_similar import make

pytestmark = pytest.mark.django_db


@pytest.fixture
def solved(team, hero, paying_requester):
    return [
        make(
            team,
            paying_requester,
            f"Webhook destination returns 429 ({i})",
            "Our webhook destination answers 429 and events are dropped.",
            answer=f"Raise the destination's rate limit, then replay the batch ({i}).",
            hero=hero,
        )
        for i in range(4)
    ]


def test_similar_answers_three_solved_tickets_with_their_answers(
    team, other_hero, paying_requester, solved, api_as
):
    new = make(
        team, paying_requester, "Webhook 429", "The webhook gets 429 responses.", status=Status.NEW
    )
    res = api_as(other_hero).get(f"tickets/{new.pk}/similar")  # another team's ticket: readable
    assert res.status_code == 200, res.content
    body = res.json()
    assert "webhook" in body["terms"] and "429" in body["terms"]
    assert len(body["items"]) == 3
    item = body["items"][0]
    assert item["id"] in {t.pk for t in solved} and item["status"] == "solved"
    assert item["team"] == "pipeline" and item["solved_at"].endswith("+00:00")
    assert item["answer"]["body"].startswith("Raise the destination's rate limit")
    assert item["answer"]["author"] == "hera"
    scores = [i["score"] for i in body["items"]]
    assert scores == sorted(scores, reverse=True)
    assert len(api_as(other_hero).get(f"tickets/{new.pk}/similar?limit=1").json()["items"]) == 1


def test_similar_roles_and_bad_input(team, hero, outsider, paying_requester, api_as):
    new = make(team, paying_requester, "Webhook 429", "429", status=Status.NEW)
    assert api_as(None).get(f"tickets/{new.pk}/similar").status_code == 401
    assert api_as(outsider).get(f"tickets/{new.pk}/similar").status_code == 403
    res = api_as(hero).get("tickets/999999/similar")
    assert res.status_code == 404 and "not found" in res.json()["detail"]
    for bad in ("0", "13", "x"):
        assert api_as(hero).get(f"tickets/{new.pk}/similar?limit={bad}").status_code == 422


def test_similar_query_count_is_fixed(team, hero, paying_requester, solved, api_as):
    new = make(team, paying_requester, "Webhook 429", "webhook 429", status=Status.NEW)
    api = api_as(hero)
    api.get(f"tickets/{new.pk}/similar")  # warm: token lookup caches
    with CaptureQueriesContext(connection) as ctx:
        assert len(api.get(f"tickets/{new.pk}/similar").json()["items"]) == 3
    few = len(ctx.captured_queries)
    for i in range(5):
        make(
            team, paying_requester, f"Webhook 429 again {i}", "webhook 429", answer="ok", hero=hero
        )
    with CaptureQueriesContext(connection) as ctx:
        assert len(api.get(f"tickets/{new.pk}/similar").json()["items"]) == 3
    # auth, the ticket, its first message, term counts, ranking, answers
    assert len(ctx.captured_queries) == few
    assert few == 6, [q["sql"][:80] for q in ctx.captured_queries]
