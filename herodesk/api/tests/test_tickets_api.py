"""The ticket API as a client sees it: shapes, roles, bad input, order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from herodesk.audit.models import Event
from herodesk.tickets import actions
from herodesk.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def new_ticket(api, **extra):
    payload = {
        "subject": "Events delayed",
        "body": "Hi, events are 2h late.",
        "team": "pipeline",
        "channel": "email",
        "requester": {"email": "ana@acme.example", "name": "Ana Lima"},
        **extra,
    }
    return api.post("tickets", payload)


@time_machine.travel(MONDAY, tick=False)
def test_create_returns_ticket_with_sla_object(team, hero, paying_requester, api_as):
    res = new_ticket(api_as(hero))
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["team"] == "pipeline" and body["tier"] == 3 and body["tier_name"] == "normal"
    assert body["status"] == "new" and body["channel"] == "email"
    assert body["requester"]["organization"] == "Acme"
    assert body["sla"]["great_by"] == "2026-11-23T10:15:00+00:00"
    assert body["sla"]["due_by"] == "2026-11-23T11:00:00+00:00"
    assert body["sla"]["late_after"] == "2026-11-24T10:00:00+00:00"
    assert body["sla"]["first_response_at"] is None


def test_reply_sets_first_response_and_grade(team, hero, paying_requester, api_as):
    api = api_as(hero)
    with time_machine.travel(MONDAY, tick=False):
        tid = new_ticket(api).json()["id"]
    with time_machine.travel(datetime(2026, 11, 23, 10, 40, tzinfo=UTC), tick=False):
        res = api.post(f"tickets/{tid}/replies", {"body": "Hey Ana, looking into it."})
    assert res.status_code == 201
    body = res.json()
    assert body["sla"]["first_response_grade"] == "okay"
    assert body["sla"]["first_response_at"] == "2026-11-23T10:40:00+00:00"
    assert [m["kind"] for m in body["messages"]] == ["requester", "public"]


def test_notes_status_assign_and_detail(team, hero, teammate, api_as):
    api = api_as(hero)
    tid = new_ticket(api).json()["id"]
    assert api.post(f"tickets/{tid}/notes", {"body": "see #incident-42"}).status_code == 201
    assert api.post(f"tickets/{tid}/assign", {"assignee": "tim"}).json()["assignee"] == "tim"
    res = api.post(f"tickets/{tid}/status", {"status": "pending"})
    assert res.status_code == 200 and res.json()["status"] == "pending"
    detail = api.get(f"tickets/{tid}").json()
    assert [m["kind"] for m in detail["messages"]] == ["requester", "note"]


def test_admin_may_backdate_others_may_not(team, admin, hero, api_as):
    backdated = {"created_at": "2026-11-20T16:55:00+00:00"}
    assert new_ticket(api_as(admin), **backdated).json()["created_at"] == backdated["created_at"]
    assert new_ticket(api_as(hero), **backdated).json()["created_at"] != backdated["created_at"]


def test_no_or_bad_token_is_401(team, api_as, hero):
    assert api_as(None).get("tickets").status_code == 401
    bad = api_as(hero)
    bad.headers = {"HTTP_AUTHORIZATION": "Bearer hd_nope"}
    res = bad.get("tickets")
    assert res.status_code == 401 and "Bearer" in res.json()["detail"]


def test_outsider_is_403_and_other_team_cannot_write(team, hero, outsider, other_hero, api_as):
    tid = new_ticket(api_as(hero)).json()["id"]
    assert api_as(outsider).get("tickets").status_code == 403
    res = api_as(other_hero).post(f"tickets/{tid}/replies", {"body": "Hey"})
    assert res.status_code == 403 and "Pipeline" in res.json()["detail"]
    assert Message.objects.filter(ticket_id=tid).count() == 1
    assert api_as(other_hero).get(f"tickets/{tid}").status_code == 200


def test_unknown_ticket_and_team_404(team, hero, api_as):
    api = api_as(hero)
    assert api.get("tickets/999999").status_code == 404
    assert api.get("teams/nope").status_code == 404
    assert api.get("queue?team=nope").status_code == 404


def test_closed_ticket_reply_is_409_and_nothing_written(team, hero, free_requester, api_as):
    api = api_as(hero)
    t = actions.ticket_create(subject="x", body="y", actor="t", team=team, requester=free_requester)
    actions.ticket_set_status(t, "solved", actor=hero)
    actions.ticket_set_status(t, "closed", actor=hero)
    before = (Message.objects.count(), Event.objects.count())
    res = api.post(f"tickets/{t.pk}/replies", {"body": "Hey Fay"})
    assert res.status_code == 409 and "closed" in res.json()["detail"]
    assert (Message.objects.count(), Event.objects.count()) == before


def test_bad_input_names_the_field_and_writes_nothing(team, hero, api_as):
    api = api_as(hero)
    res = new_ticket(api, tier="urgent")
    assert res.status_code == 422 and res.json()["field"] == "tier"
    assert "tier" in res.json()["detail"]
    res = api.post("tickets", raw="{not json")
    assert res.status_code in (400, 422)
    assert "detail" in res.json()
    res = new_ticket(api, team="nope")
    assert res.status_code == 422 and res.json()["field"] == "team"
    res = new_ticket(api, channel="carrier-pigeon")
    assert res.status_code == 422 and res.json()["field"] == "channel"
    res = api.post("tickets", {"body": "no subject"})
    assert res.status_code == 422 and res.json()["field"] == "subject"
    assert Ticket.objects.count() == 0 and Event.objects.count() == 0


def test_queue_orders_by_tier_then_due_then_age(
    team, hero, big_requester, paying_requester, free_requester, api_as
):
    def mk(req, at, channel="email"):
        return actions.ticket_create(
            subject="s",
            body="b",
            actor="t",
            team=team,
            requester=req,
            created_at=at,
            channel=channel,
        ).pk

    low = mk(free_requester, datetime(2026, 11, 23, 9, tzinfo=UTC))
    normal_late = mk(paying_requester, datetime(2026, 11, 23, 11, tzinfo=UTC))
    normal_early = mk(paying_requester, datetime(2026, 11, 23, 10, tzinfo=UTC))
    high = mk(big_requester, datetime(2026, 11, 23, 12, tzinfo=UTC))
    alert = mk(None, datetime(2026, 11, 23, 13, tzinfo=UTC), channel="sentry")
    res = api_as(hero).get("queue?team=pipeline")
    assert [t["id"] for t in res.json()["items"]] == [alert, high, normal_early, normal_late, low]
    unassigned = api_as(hero).get("queue?team=pipeline&view=unassigned&limit=2").json()
    assert [t["id"] for t in unassigned["items"]] == [alert, high]
    page2 = (
        api_as(hero)
        .get(f"queue?team=pipeline&view=unassigned&limit=2&cursor={unassigned['next_cursor']}")
        .json()
    )
    assert [t["id"] for t in page2["items"]] == [normal_early, normal_late]


def test_tickets_list_filters_and_cursor(team, hero, paying_requester, api_as):
    for i in range(5):
        actions.ticket_create(
            subject=f"t{i}", body="b", actor="t", team=team, requester=paying_requester
        )
    api = api_as(hero)
    first = api.get("tickets?limit=3").json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    second = api.get(f"tickets?limit=3&cursor={first['next_cursor']}").json()
    assert len(second["items"]) == 2 and second["next_cursor"] is None
    assert api.get("tickets?status=bogus").status_code == 422
    assert len(api.get("tickets?q=t3").json()["items"]) == 1


def test_openapi_document_lists_endpoints(db, client):
    res = client.get("/api/v1/openapi.json")
    assert res.status_code == 200
    paths = res.json()["paths"]
    assert "/api/v1/tickets" in paths and "/api/v1/queue" in paths


def test_merge_duplicate_into_original(team, hero, other_hero, paying_requester, api_as):
    def mk(subject):
        return actions.ticket_create(
            subject=subject,
            body=f"{subject} body",
            actor="t",
            team=team,
            requester=paying_requester,
        ).pk

    original, duplicate = mk("Exports broken"), mk("Exports broken again")
    assert (
        api_as(other_hero).post(f"tickets/{duplicate}/merge", {"into": original}).status_code == 403
    )
    assert (
        api_as(hero).post(f"tickets/{duplicate}/merge", {"into": 999999}).json()["field"] == "into"
    )
    assert api_as(hero).post(f"tickets/{duplicate}/merge", {"into": duplicate}).status_code == 422
    res = api_as(hero).post(f"tickets/{duplicate}/merge", {"into": original})
    assert res.status_code == 200, res.content
    body = res.json()
    assert body["id"] == original
    assert "Exports broken again body" in [m["body"] for m in body["messages"]]
    dup = Ticket.objects.get(pk=duplicate)
    assert dup.status == "closed" and dup.merged_into_id == original
    assert Event.objects.filter(ticket_id=duplicate, action__startswith="ticket.merge").exists()


def test_a_public_reply_through_the_api_claims_an_unassigned_ticket(team, hero, api_as):
    """The rule lives in the action: the API claims exactly as the desk page does."""
    api = api_as(hero)
    tid = new_ticket(api).json()["id"]
    assert Ticket.objects.get(pk=tid).assignee is None
    assert api.post(f"tickets/{tid}/replies", {"body": "Hey Ana, on it."}).status_code == 201
    assert Ticket.objects.get(pk=tid).assignee == hero
    assert Event.objects.filter(action="ticket.assigned", ticket_id=tid).exists()


def test_a_reply_does_not_take_a_ticket_someone_already_has(team, hero, teammate, api_as):
    api = api_as(hero)
    tid = new_ticket(api).json()["id"]
    actions.ticket_assign(Ticket.objects.get(pk=tid), teammate, actor=teammate)
    assert api.post(f"tickets/{tid}/replies", {"body": "Hey Ana, quick update."}).status_code == 201
    assert Ticket.objects.get(pk=tid).assignee == teammate


def test_a_note_through_the_api_notifies_the_people_it_mentions(team, hero, teammate, api_as):
    from herodesk.notify.models import Delivery

    api = api_as(hero)
    tid = new_ticket(api).json()["id"]
    mention = f"@{teammate.username}"
    res = api.post(f"tickets/{tid}/notes", {"body": f"{mention} can you look at the bucket?"})
    assert res.status_code == 201
    told = Delivery.objects.filter(kind="mention", ticket_id=tid)
    assert told.count() == 1 and teammate.email in told.get().recipient
    # A reply mentioning someone notifies them too; the author is never notified.
    api.post(f"tickets/{tid}/replies", {"body": f"Thanks! cc @{hero.username} {mention}"})
    assert told.count() == 2
    assert not told.filter(recipient__contains=hero.email).exists()


def _varied_tickets(team, hero, paying_requester):
    """Tickets with and without team, requester, organization, assignee, SLA
    times and metadata: every branch of `serialize.ticket`."""
    from herodesk.customers.models import Requester

    loner = Requester.objects.create(email=None, name="Lone Wolf")
    made = [
        actions.ticket_create(
            subject=f"Kestrel {i}",
            body="a kestrel",
            actor="t",
            team=team if i % 2 else None,
            requester=[paying_requester, loner, None][i % 3],
        )
        for i in range(6)
    ]
    when = datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=UTC)
    Ticket.objects.filter(pk=made[0].pk).update(
        assignee=hero, metadata={"thread": "T1", "n": [1, 2.5, None], "é": True},
        sla_kind="next_reply", great_by=when, due_by=when, late_after=when, sla_paused_at=when,
        first_response_at=when, first_response_grade="okay", breached=True, solved_at=when,
        external_ref=f"ABC-{made[0].pk}", external_url="https://example.com/abc",
    )  # fmt: skip
    return made


def test_list_serializes_tickets_as_serialize_ticket_does(team, hero, paying_requester):
    """The lists serialize `values()` rows (`ticket_values`), the other endpoints
    model instances (`ticket`): the same dict for every kind of ticket."""
    from herodesk.api import serialize

    _varied_tickets(team, hero, paying_requester)
    rows = {v["id"]: v for v in Ticket.objects.values(*serialize.TICKET_COLUMNS)}
    models = Ticket.objects.select_related("team", "requester__organization", "assignee")
    for t in models:
        assert serialize.ticket_values(rows[t.pk]) == serialize.ticket(t)
    assert len(rows) == 6


def test_list_is_what_ninja_renders_for_its_schema(team, hero, paying_requester, api_as):
    """The list renders its dicts without ninja's validating them: the bytes are
    those of the dicts validated against TicketPage and dumped (no key more or
    less, no value the schema would coerce), with the same content type."""
    from ninja.renderers import JSONRenderer

    from herodesk.api.schemas import TicketPage

    _varied_tickets(team, hero, paying_requester)
    api = api_as(hero)
    for path in ("tickets", "tickets?limit=4", "tickets?q=kestrel", "tickets?q=kestrel&limit=2"):
        res = api.get(path)
        assert res.status_code == 200 and res["Content-Type"] == "application/json; charset=utf-8"
        dumped = TicketPage.model_validate(res.json()).model_dump()
        assert res.content == JSONRenderer().render(None, dumped, response_status=200).encode()
        assert res.json()["items"]
    assert api.get("tickets?q=kestrel&cursor=nope").status_code == 422


def test_list_costs_the_same_queries_for_2_or_12_tickets(team, hero, paying_requester, api_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_as(hero)
    paths = ("tickets?limit={}", "tickets?q=kestrel&limit={}")

    def counts(n):
        for path in paths:  # the token's first use is recorded once
            assert len(api.get(path.format(n)).json()["items"]) == n
        out = []
        for path in paths:
            with CaptureQueriesContext(connection) as ctx:
                api.get(path.format(n))
            out.append(len(ctx.captured_queries))
        return out

    _varied_tickets(team, hero, paying_requester)
    few = counts(2)
    for _ in range(2):
        _varied_tickets(team, hero, paying_requester)
    assert counts(12) == few
