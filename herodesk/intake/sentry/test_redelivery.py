"""R1 and R2: Sentry deliveries are keyed on Sentry's per-delivery Request-ID
(so an issue resolved, reopened and resolved again is resolved again), and a
delivery whose Sentry-Hook-Timestamp is outside the window is refused."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from herodesk.intake import base
from herodesk.intake.models import Delivery, RoutingRule
from herodesk.intake.tests.support import SECRET, row_counts
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db
ISSUE = json.loads((Path(__file__).parent / "fixtures" / "issue_created.json").read_text())


@pytest.fixture(autouse=True)
def _sentry(settings: Any, team: Any) -> None:
    settings.HERODESK_SENTRY_CLIENT_SECRET = SECRET
    now = timezone.now()
    RoutingRule.objects.create(
        conditions=[{"field": "sentry_project", "op": "equals", "value": "front-end"}],
        team=team,
        created_at=now,
        updated_at=now,
    )


def post(action: str, *, request_id: str | None = None, at: float | None = None) -> Any:
    body = json.dumps({**ISSUE, "action": action}).encode()
    headers = {
        "Sentry-Hook-Resource": "issue",
        "Sentry-Hook-Signature": hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest(),
        "Sentry-Hook-Timestamp": str(int(timezone.now().timestamp() if at is None else at)),
    }
    if request_id != "":
        headers["Request-ID"] = request_id or str(uuid.uuid4())
    return Client().post(
        "/hooks/sentry", data=body, content_type="application/json", headers=headers
    )


def deliver(action: str, **kwargs: Any) -> Delivery:
    response = post(action, **kwargs)
    assert response.status_code == 200, response.content
    delivery = Delivery.objects.get(pk=response.json()["delivery"])
    if not response.json().get("duplicate"):
        base.process(delivery)
    delivery.refresh_from_db()
    return delivery


def test_resolved_reopened_and_resolved_again_ends_solved() -> None:
    ticket = deliver("created").ticket
    assert ticket is not None
    for action, status in (("resolved", "solved"), ("unresolved", "open"), ("resolved", "solved")):
        delivery = deliver(action)
        assert delivery.status == "processed", delivery.error
        ticket = Ticket.objects.get(pk=ticket.pk)
        assert ticket.status == status, f"after {action}"


def test_a_retry_of_one_delivery_is_still_a_duplicate() -> None:
    first = deliver("resolved", request_id="9f0e4c1a-5b7d-4e2f-8a3c-1d2e3f4a5b6c")
    before = row_counts()
    again = post("resolved", request_id="9f0e4c1a-5b7d-4e2f-8a3c-1d2e3f4a5b6c")
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["delivery"] == first.pk and row_counts() == before
    assert first.key == "request:9f0e4c1a-5b7d-4e2f-8a3c-1d2e3f4a5b6c"


def test_a_delivery_without_request_id_falls_back_to_the_body_digest() -> None:
    one = deliver("resolved", request_id="")
    assert one.key.startswith("issue:resolved:sha256:")


@pytest.mark.parametrize(("offset", "words"), [(-7 * 86400, "old"), (3600, "future")])
def test_a_stale_or_future_timestamp_is_401_and_writes_nothing(offset: int, words: str) -> None:
    before = row_counts()
    response = post("created", at=timezone.now().timestamp() + offset)
    assert response.status_code == 401, response.content
    assert "Sentry-Hook-Timestamp" in response.json()["detail"]
    assert words in response.json()["detail"]
    assert row_counts() == before


def test_a_missing_or_garbled_timestamp_is_401() -> None:
    body = json.dumps({**ISSUE, "action": "created"}).encode()
    signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    for stamp in (None, "yesterday"):
        headers = {"Sentry-Hook-Resource": "issue", "Sentry-Hook-Signature": signature}
        if stamp:
            headers["Sentry-Hook-Timestamp"] = stamp
        response = Client().post(
            "/hooks/sentry", data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == 401
        assert "Sentry-Hook-Timestamp" in response.json()["detail"]


def test_the_source_panel_gets_the_issues_figures() -> None:
    from herodesk.domain.sources import describe

    ticket = deliver("created").ticket
    assert ticket is not None
    facts = dict(
        describe(ticket.channel, ticket.subject, ticket.external_url, ticket.metadata)["facts"]
    )
    assert facts["Issue"] == "FRONT-END-9" and facts["Level"] == "error"
    assert facts["Events"] == "1" and facts["Users affected"] == "1"
    assert facts["First seen"] == "2019-08-19T20:58:37.391000Z"
