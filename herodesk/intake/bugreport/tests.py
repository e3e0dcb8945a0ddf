"""POST /api/v1/bug-reports: the app's bug button → a ticket with its context links."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from herodesk.api.intake_mail import MAX_BUG_REPORT_BYTES
from herodesk.intake import base
from herodesk.intake.models import Delivery
from herodesk.teams.actions import token_issue
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db
URL = "/api/v1/bug-reports"
REPORT = json.loads((Path(__file__).parent / "fixtures" / "bug_button.json").read_text())


@pytest.fixture
def send(hero) -> Any:
    token = token_issue(hero)[1]
    client = Client()

    def post(
        payload: Any,
        *,
        raw: bytes | None = None,
        content_type: str = "application/json",
        **headers: Any,
    ) -> Any:
        body = raw if raw is not None else json.dumps(payload).encode()
        return client.post(
            URL,
            data=body,
            content_type=content_type,
            HTTP_AUTHORIZATION=f"Bearer {token}",
            **headers,
        )

    return post


def processed_ticket(response: Any) -> Ticket:
    delivery = Delivery.objects.get(pk=response.json()["delivery"])
    base.process(delivery)
    delivery.refresh_from_db()
    assert delivery.status == "processed", delivery.error
    assert delivery.ticket is not None
    return delivery.ticket


def report(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(REPORT)
    data.update(changes)
    return data


def test_bug_report_becomes_a_ticket_with_context_links(send, paying_requester):
    paying_requester.organization.external_id = REPORT["organization"]["external_id"]
    paying_requester.organization.save()
    res = send(REPORT)
    assert res.status_code == 202 and res.json()["duplicate"] is False
    ticket = processed_ticket(res)
    assert ticket.channel == "bug_report" and ticket.requester == paying_requester
    assert ticket.tier == 3  # Acme pays (teams plan)
    assert ticket.subject == "Bug report: The funnel insight shows no data since Monday."
    assert ticket.metadata["context"] == REPORT["context"]
    assert ticket.metadata["bug_report"]["id"] == REPORT["id"]
    assert ticket.messages.get().body == REPORT["message"]
    paying_requester.refresh_from_db()
    assert paying_requester.username == "ana@acme.example"


def test_replaying_a_processed_report_makes_no_second_ticket(send):
    ticket = processed_ticket(send(REPORT))
    delivery = Delivery.objects.get()
    base.process(delivery)
    delivery.refresh_from_db()
    assert delivery.status == "processed" and delivery.ticket == ticket
    assert Ticket.objects.count() == 1


def test_new_reporter_is_created_and_only_sent_links_are_kept(send):
    payload = report(
        user={"email": "new@startup.example", "name": "New Person"},
        organization=None,
        context={"current_url": "https://app.example.com/x"},
        subject="Dashboard crashes",
    )
    payload.pop("id")
    ticket = processed_ticket(send(payload))
    assert ticket.requester is not None and ticket.requester.email == "new@startup.example"
    assert ticket.tier == 5
    assert ticket.subject == "Dashboard crashes"
    assert ticket.metadata["context"] == {"current_url": "https://app.example.com/x"}


def test_organization_is_found_by_name_when_the_external_id_is_unknown(send, big_requester):
    payload = report(
        user={"email": "new.colleague@globex.example"},
        organization={"name": "Globex", "external_id": "org_unknown"},
    )
    ticket = processed_ticket(send(payload))
    assert ticket.requester is not None and ticket.tier == 2
    assert ticket.requester.organization == big_requester.organization


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"user": {"name": "no email"}}, "email"),
        ({"user": {"email": "not-an-address"}}, "email"),
        ({"message": "   "}, "message"),
        ({"context": {"admin_url": "javascript:alert(1)"}}, "admin_url"),
        (
            {"context": {"session_recording_url": "ftp://files.example/rec"}},
            "session_recording_url",
        ),
        ({"context": {"app_version": "v" * 101}}, "app_version"),
    ],
)
def test_invalid_reports_are_422_naming_the_field_and_write_nothing(send, change, field):
    res = send(report(**change))
    assert res.status_code == 422, res.content
    assert res.json()["field"] == field and field in res.json()["detail"]
    assert not Delivery.objects.exists()


def test_a_retry_with_the_same_id_makes_no_second_ticket(send):
    first, second = send(REPORT), send(REPORT)
    assert second.status_code == 202 and second.json()["duplicate"] is True
    assert first.json()["delivery"] == second.json()["delivery"]
    assert Delivery.objects.get().key == "id:" + REPORT["id"]


def test_idempotency_key_header_wins_over_a_missing_id(send):
    payload = report(message="Another problem")
    payload.pop("id")
    first = send(payload, HTTP_IDEMPOTENCY_KEY="click-42")
    assert Delivery.objects.get().key == "id:click-42"
    assert send(payload, HTTP_IDEMPOTENCY_KEY="click-42").json() == first.json()
    # The same key for a different report is a client bug: refused, not merged.
    res = send(report(message="Another problem, edited"), HTTP_IDEMPOTENCY_KEY="click-42")
    assert res.status_code == 422 and Delivery.objects.count() == 1


def test_without_any_id_the_same_bytes_are_deduplicated(send):
    payload = report()
    payload.pop("id")
    assert send(payload).json()["duplicate"] is False
    assert send(payload).json()["duplicate"] is True
    assert Delivery.objects.get().key.startswith("sha256:")


def test_bad_requests_are_refused(send):
    assert send(None, raw=b"{not json").status_code == 400
    assert send(REPORT, content_type="text/plain").status_code == 415
    big = report(message="x" * 40_000, context={"app_version": "1"})
    big["padding"] = "y" * MAX_BUG_REPORT_BYTES
    assert send(big).status_code == 413
    assert not Delivery.objects.exists()


def test_bad_token_is_401_and_outsider_is_403(outsider):
    strict = Client(enforce_csrf_checks=True)
    body = json.dumps(REPORT)
    res = strict.post(
        URL, data=body, content_type="application/json", HTTP_AUTHORIZATION="Bearer wrong"
    )
    assert res.status_code == 401
    res = strict.post(
        URL,
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_issue(outsider)[1]}",
    )
    assert res.status_code == 403
    assert not Delivery.objects.exists()


def test_the_payload_schema_is_in_the_openapi_document(client):
    op = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/bug-reports"]["post"]
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    assert {"user", "message"} <= set(schema["required"])
    assert "admin_url" in schema["properties"]["context"]["properties"]
