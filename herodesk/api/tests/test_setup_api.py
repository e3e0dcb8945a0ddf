"""Setting a team up through the API: teams, members, people (invitations),
GitHub repositories and tokens — roles enforced, errors as {"detail", "field"}."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import Api, make_user
from herodesk.intake.models import GitHubRepository, RoutingRule
from herodesk.notify.models import Delivery
from herodesk.rotations import actions as rotation_actions
from herodesk.teams.actions import invitation_accept
from herodesk.teams.models import Invitation, Team
from herodesk.tickets.actions import ticket_create

pytestmark = pytest.mark.django_db


def test_an_admin_creates_a_team_and_a_lead_adds_a_member(api_as: Any, admin: Any) -> None:
    res = api_as(admin).post("teams", {"slug": "infra", "name": "Infra", "time_zone": "Asia/Tokyo"})
    assert res.status_code == 201, res.content
    assert res.json()["support_hours"]["time_zone"] == "Asia/Tokyo"
    infra = Team.objects.get(slug="infra")
    lead = make_user("lou", team=infra, role="lead")
    make_user("mia")
    res = api_as(lead).put("teams/infra/members/mia", {"role": "member"})
    assert res.status_code == 200 and res.json()["role"] == "member"
    res = api_as(lead).put("teams/infra/members/mia", {"role": "lead"})
    assert res.json()["role"] == "lead"
    assert api_as(lead).get("teams/infra/members/mia").json()["role"] == "lead"
    assert api_as(lead).delete("teams/infra/members/mia").status_code == 204
    assert api_as(lead).get("teams/infra/members/mia").status_code == 404


def test_roles_are_enforced(api_as: Any, team: Any, hero: Any, other_hero: Any) -> None:
    assert api_as(hero).post("teams", {"slug": "x", "name": "X"}).status_code == 403
    res = api_as(other_hero).put("teams/pipeline/members/otto", {"role": "lead"})
    assert res.status_code == 403 and "lead of Pipeline" in res.json()["detail"]
    assert api_as(hero).patch("teams/pipeline", {"archived": True}).status_code == 403
    assert api_as(hero).post("people", {"email": "x@example.com"}).status_code == 403


def test_bad_input_is_a_422_naming_the_field(api_as: Any, admin: Any, team: Any) -> None:
    res = api_as(admin).post("teams", {"slug": "Bad Slug", "name": "X"})
    assert res.status_code == 422 and res.json()["field"] == "slug"
    res = api_as(admin).post("teams", {"slug": "pipeline", "name": "Again"})
    assert res.status_code == 409 and res.json()["field"] == "slug"
    res = api_as(admin).put("teams/pipeline/members/admin", {"role": "boss"})
    assert res.status_code == 422 and res.json()["field"] == "role"


def test_a_team_tickets_refer_to_is_archived_not_deleted(
    api_as: Any, admin: Any, team: Any
) -> None:
    ticket_create(subject="x", body="help", team=team, actor="test")
    res = api_as(admin).delete("teams/pipeline")
    assert res.status_code == 409 and "archive it instead" in res.json()["detail"]
    res = api_as(admin).patch("teams/pipeline", {"archived": True})
    assert res.status_code == 200 and res.json()["archived"] is True
    empty = api_as(admin).post("teams", {"slug": "empty", "name": "Empty"})
    assert empty.status_code == 201
    assert api_as(admin).delete("teams/empty").status_code == 204


def test_inviting_queues_an_email_with_a_single_use_expiring_link(
    api_as: Any, lead: Any, team: Any
) -> None:
    res = api_as(lead).post(
        "people", {"email": "Ana@Example.com", "name": "Ana Souza", "team": "pipeline"}
    )
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["username"] == "ana" and body["teams"] == {"pipeline": "member"}
    assert body["invitation"]["state"] == "open" and body["invitation"]["email"] == "pending"
    mail = Delivery.objects.get(kind="invitation")
    link = next(w for w in mail.payload["text"].split() if "/welcome/" in w)
    raw = link.rstrip("/").rsplit("/", 1)[1]
    user = invitation_accept(raw, password="a long enough password 42")
    assert user.check_password("a long enough password 42")
    with pytest.raises(Exception, match="already used"):
        invitation_accept(raw, password="another long password 43")


def test_an_expired_link_says_so(api_as: Any, admin: Any) -> None:
    api_as(admin).post("people", {"email": "bo@example.com"})
    mail = Delivery.objects.get(kind="invitation")
    raw = next(w for w in mail.payload["text"].split() if "/welcome/" in w).rstrip("/")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Exception, match="expired"):
        invitation_accept(raw.rsplit("/", 1)[1], password="a long enough password 42")


def test_deactivating_answers_which_shifts_moved(
    api_as: Any, admin: Any, team: Any, hero: Any, teammate: Any
) -> None:
    rotation_actions.rotation_set(
        team, members=["hera", "tim"], start=timezone.now() - timedelta(days=1), actor=admin
    )
    res = api_as(admin).patch("people/hera", {"active": False})
    assert res.status_code == 200 and res.json()["active"] is False
    left = res.json()["shifts_left"]
    assert left and {s["now_on"] for s in left} == {"tim"}
    assert api_as(hero).patch("people/hera", {"name": "H"}).status_code == 401


def test_people_edit_themselves_but_not_their_admin_flag(api_as: Any, hero: Any) -> None:
    res = api_as(hero).patch("people/hera", {"name": "Hera Q", "time_zone": "Europe/Paris"})
    assert res.status_code == 200 and res.json()["time_zone"] == "Europe/Paris"
    res = api_as(hero).patch("people/hera", {"admin": True})
    assert res.status_code == 403 and "admin" in res.json()["detail"]


def test_a_lead_adds_a_repository_for_their_team(api_as: Any, lead: Any, team: Any) -> None:
    res = api_as(lead).post(
        "github-repositories", {"full_name": "Acme/Widgets", "team": "pipeline"}
    )
    assert res.status_code == 201 and res.json() == {
        "full_name": "acme/widgets",
        "enabled": True,
        "teams": ["pipeline"],
    }
    assert RoutingRule.objects.get().repository == "acme/widgets"
    again = api_as(lead).post("github-repositories", {"full_name": "acme/widgets"})
    assert again.status_code == 403  # without a team a lead may not add one
    assert api_as(lead).get("github-repositories").json()[0]["full_name"] == "acme/widgets"
    assert api_as(lead).delete("github-repositories/acme/widgets").status_code == 204
    assert not GitHubRepository.objects.exists()


def test_a_revoked_token_stops_working_at_once(api_as: Any, hero: Any, admin: Any) -> None:
    res = api_as(hero).post("tokens", {"name": "ci"})
    assert res.status_code == 201
    made = res.json()
    mine = Api(made["token"])
    assert mine.get("me").status_code == 200
    listed = mine.get("tokens").json()
    assert [t["name"] for t in listed if t["id"] == made["id"]] == ["ci"]
    assert "token" not in listed[0]  # shown once, at creation only
    assert mine.delete(f"tokens/{made['id']}").status_code == 204
    assert mine.get("me").status_code == 401
    other = Api(api_as(hero).post("tokens", {"name": "two"}).json()["token"])
    two = [t for t in api_as(admin).get("tokens?username=hera").json() if t["name"] == "two"]
    assert api_as(admin).delete(f"tokens/{two[0]['id']}").status_code == 204
    assert other.get("me").status_code == 401


def test_an_expired_token_stops_working(api_as: Any, hero: Any) -> None:
    soon = (timezone.now() + timedelta(hours=1)).isoformat()
    made = api_as(hero).post("tokens", {"name": "short", "expires_at": soon}).json()
    token = Api(made["token"])
    assert token.get("me").status_code == 200
    from herodesk.teams.models import ApiToken

    ApiToken.objects.filter(pk=made["id"]).update(expires_at=timezone.now())
    assert token.get("me").status_code == 401
    res = api_as(hero).post("tokens", {"name": "x", "expires_at": "2020-01-01T00:00:00Z"})
    assert res.status_code == 422 and res.json()["field"] == "expires_at"


def test_an_archived_team_gets_no_new_items(api_as: Any, admin: Any, team: Any) -> None:
    from herodesk.intake import actions as intake_actions
    from herodesk.intake.triage import route

    intake_actions.routing_rule_save(team=team, actor=admin, channel="github")
    assert route(channel="github") == team
    api_as(admin).patch("teams/pipeline", {"archived": True})
    assert route(channel="github") is None
