"""Issue 16 §7: `Idempotency-Key` on POST /api/v1/tickets, /bug-reports and
/email. The same key and body within 24 h replays the first response and
creates nothing; the same key with another body answers 422."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from herodesk.intake.models import Delivery
from herodesk.teams.actions import token_issue
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db
KEY = "a7c1e9d2-5b7f-4f0e-9d4e-6f1b2c3d4e5f"
TICKET = {"subject": "Events delayed", "body": "Two hours late.", "team": "pipeline"}
REPORT = (
    Path(__file__).resolve().parents[2] / "intake" / "bugreport" / "fixtures" / "bug_button.json"
)


def post(user: Any, path: str, body: bytes, content_type: str, key: str | None = KEY) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user)[1]}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return Client().post(f"/api/v1/{path}", data=body, content_type=content_type, **headers)


def create(user: Any, payload: dict[str, Any] | None = None, **kw: Any) -> Any:
    return post(user, "tickets", json.dumps(payload or TICKET).encode(), "application/json", **kw)


def test_a_retry_with_the_same_key_replays_the_first_answer(hero, team):
    first = create(hero)
    assert first.status_code == 201, first.content
    again = create(hero)
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Ticket.objects.count() == 1


def test_the_same_key_with_another_body_is_422(hero, team):
    assert create(hero).status_code == 201
    res = create(hero, {**TICKET, "subject": "Something else"})
    assert res.status_code == 422, res.content
    assert res.json()["field"] == "Idempotency-Key"
    assert Ticket.objects.count() == 1


def test_keys_belong_to_one_caller(hero, teammate, team):
    assert create(hero).status_code == 201
    assert create(teammate).status_code == 201
    assert Ticket.objects.count() == 2


def test_after_24_hours_the_key_is_forgotten(hero, team):
    assert create(hero).status_code == 201
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        res = create(hero)
    assert res.status_code == 201 and "Idempotent-Replayed" not in res
    assert Ticket.objects.count() == 2


def test_a_refused_request_is_not_remembered(hero, team, other_team):
    bad = create(hero, {**TICKET, "team": "nope"})
    assert bad.status_code == 422
    assert create(hero).status_code == 201  # the fixed request with the same key
    assert Ticket.objects.count() == 1


def test_without_a_key_each_post_creates(hero, team):
    create(hero, key=None)
    create(hero, key=None)
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "bad key\u00e9"])
def test_a_malformed_key_is_422(hero, team, key):
    res = create(hero, key=key)
    assert res.status_code == 422 and res.json()["field"] == "Idempotency-Key"
    assert not Ticket.objects.exists()


def test_bug_reports_honour_the_key_the_same_way(hero):
    body = REPORT.read_bytes()
    first = post(hero, "bug-reports", body, "application/json")
    again = post(hero, "bug-reports", body, "application/json")
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    changed = json.loads(body) | {"message": "A different report"}
    res = post(hero, "bug-reports", json.dumps(changed).encode(), "application/json")
    assert res.status_code == 422 and Delivery.objects.count() == 1


def test_the_email_endpoint_honours_the_key_the_same_way(hero):
    mail = (
        b"From: Ana <ana@acme.example>\r\nTo: support@herodesk.localhost\r\n"
        b"Subject: Export fails\r\nMessage-ID: <idem.1@acme.example>\r\n\r\nHelp\r\n"
    )
    first = post(hero, "email", mail, "message/rfc822")
    again = post(hero, "email", mail, "message/rfc822")
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json() and again.json()["duplicate"] is False
    other = mail.replace(b"Help", b"Help again")
    assert post(hero, "email", other, "message/rfc822").status_code == 422
    assert Delivery.objects.count() == 1
