"""POST /api/v1/email: raw MIME over HTTP with a bearer token."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from conftest import make_user
from herodesk.intake.email.conftest import process, raw_mail
from herodesk.intake.models import Delivery
from herodesk.teams.actions import token_issue
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db
URL = "/api/v1/email"


def post(
    client: Client, token: str | None, body: bytes, content_type: str = "message/rfc822"
) -> Any:
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(URL, data=body, content_type=content_type, **headers)


@pytest.fixture
def hero_token(hero) -> str:
    return token_issue(hero)[1]


def test_raw_mail_is_accepted_then_becomes_a_ticket(client, hero_token, paying_requester):
    raw = raw_mail(subject="Over HTTP", message_id="<http.1@acme.example>")
    res = post(client, hero_token, raw)
    assert res.status_code == 202, res.content
    delivery = Delivery.objects.get(pk=res.json()["delivery"])
    assert res.json() == {"delivery": delivery.pk, "status": "accepted", "duplicate": False}
    assert bytes(delivery.body) == raw and delivery.key == "<http.1@acme.example>"
    assert delivery.headers == {"source": "api", "submitted_by": "hera"}
    process(delivery)
    assert Ticket.objects.get().subject == "Over HTTP"


def test_the_same_mail_twice_is_a_duplicate(client, hero_token):
    raw = raw_mail(message_id="<dup@acme.example>")
    first, second = post(client, hero_token, raw), post(client, hero_token, raw)
    assert first.status_code == second.status_code == 202
    assert second.json()["duplicate"] is True and Delivery.objects.count() == 1


def test_bad_token_is_401_even_without_a_csrf_cookie(hero_token):
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, "not-a-token", raw_mail()).status_code == 401
    assert post(strict, None, raw_mail()).status_code == 401
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("ctype", ["text/plain", "application/json", "multipart/form-data"])
def test_other_content_types_are_415(client, hero_token, ctype):
    res = post(client, hero_token, raw_mail(), content_type=ctype)
    assert res.status_code == 415 and "message/rfc822" in res.json()["detail"]
    assert not Delivery.objects.exists()


def test_empty_body_is_400(client, hero_token):
    res = post(client, hero_token, b"  \r\n")
    assert res.status_code == 400 and "empty" in res.json()["detail"]


def test_mail_over_the_size_limit_is_413(client, hero_token, settings):
    settings.HERODESK_MAX_EMAIL_BYTES = 2048
    res = post(client, hero_token, raw_mail(body="x" * 4000))
    assert res.status_code == 413 and "2048" in res.json()["detail"]
    assert not Delivery.objects.exists()


def test_a_user_without_desk_access_is_403(client, outsider):
    res = post(client, token_issue(outsider)[1], raw_mail())
    assert res.status_code == 403 and not Delivery.objects.exists()


def test_a_service_account_with_the_intake_permission_may_post(client):
    relay = make_user("mail-relay", person=False)
    relay.user_permissions.add(
        Permission.objects.get(codename="add_delivery", content_type__app_label="intake")
    )
    res = post(client, token_issue(relay)[1], raw_mail())
    assert res.status_code == 202


def test_the_endpoint_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "message/rfc822" in paths["/api/v1/email"]["post"]["requestBody"]["content"]
