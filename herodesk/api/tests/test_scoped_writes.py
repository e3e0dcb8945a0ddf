"""Issue 16 §2: a member creates and assigns tickets only in their own teams
(admins anywhere), and an assignee must be a member of the ticket's team."""

from __future__ import annotations

from typing import Any

import pytest

from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def create(api: Any, **extra: Any) -> Any:
    return api.post("tickets", {"subject": "Events delayed", "body": "Two hours late.", **extra})


def test_a_member_cannot_open_a_t0_ticket_in_another_team_assigned_to_its_member(
    api_as, hero, other_hero, other_team
):
    res = create(api_as(hero), team="monitoring", tier=0, assignee="otto")
    assert res.status_code == 403, res.content
    assert "Monitoring" in res.json()["detail"]
    assert not Ticket.objects.exists()


def test_a_member_cannot_open_a_ticket_in_another_team_even_unassigned(api_as, hero, other_team):
    res = create(api_as(hero), team="monitoring")
    assert res.status_code == 403 and not Ticket.objects.exists()


def test_a_member_opens_tickets_in_their_own_team_and_unrouted(api_as, hero, teammate, team):
    api = api_as(hero)
    assert create(api, team="pipeline", assignee="tim").status_code == 201
    assert create(api).status_code == 201  # no team: routing rules or unrouted


def test_an_admin_opens_tickets_in_any_team(api_as, admin, other_hero, other_team):
    res = create(api_as(admin), team="monitoring", tier=0, assignee="otto")
    assert res.status_code == 201, res.content
    assert res.json()["assignee"] == "otto"


@pytest.mark.parametrize("who", ["hero", "admin"])
def test_the_assignee_must_be_a_member_of_the_ticket_team(
    api_as, request, team, other_hero, outsider, who
):
    api = api_as(request.getfixturevalue(who))
    for name in ("otto", "olga"):  # another team's hero; a user without a staff profile
        res = create(api, team="pipeline", assignee=name)
        assert res.status_code == 422, (name, res.content)
        assert res.json()["field"] == "assignee" and name in res.json()["detail"]
        assert "not a member of Pipeline" in res.json()["detail"]
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("who", ["hero", "admin"])
def test_assigning_to_someone_outside_the_team_is_refused(
    api_as, request, team, teammate, other_hero, outsider, who
):
    api = api_as(request.getfixturevalue(who))
    tid = create(api, team="pipeline", assignee="tim").json()["id"]
    for name in ("otto", "olga"):
        res = api.post(f"tickets/{tid}/assign", {"assignee": name})
        assert res.status_code == 422, (name, res.content)
        assert res.json()["field"] == "assignee"
    assert Ticket.objects.get(pk=tid).assignee == teammate
    assert api.post(f"tickets/{tid}/assign", {"assignee": None}).status_code == 200


def test_an_unrouted_ticket_goes_to_a_staff_member_not_to_an_outsider(
    api_as, hero, teammate, outsider
):
    api = api_as(hero)
    tid = create(api).json()["id"]
    assert api.post(f"tickets/{tid}/assign", {"assignee": "olga"}).status_code == 422
    assert api.post(f"tickets/{tid}/assign", {"assignee": "tim"}).status_code == 200


def test_the_ticket_page_refuses_an_assignee_outside_the_team(
    client, hero, team, other_hero, api_as
):
    tid = create(api_as(hero), team="pipeline").json()["id"]
    client.force_login(hero)
    res = client.post(f"/tickets/{tid}/assign/", {"assignee": "otto"}, follow=True)
    assert "not a member of Pipeline" in res.content.decode()
    assert Ticket.objects.get(pk=tid).assignee is None
