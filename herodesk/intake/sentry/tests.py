"""Sentry integration webhooks, fed Sentry's documented example payloads."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from herodesk.customers.models import Requester
from herodesk.intake.models import RoutingRule
from herodesk.intake.tests.support import SECRET, Sample, WebhookTests, as_json, row_counts
from herodesk.tickets.models import Ticket

FIXTURES = Path(__file__).parent / "fixtures"


def documented(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return data


def sample(resource: str, payload: dict[str, Any], action: str | None = None) -> Sample:
    if action:
        payload = {**payload, "action": action}
    body = as_json(payload)
    # One Request-ID per delivery (a retry of the same body repeats it).
    request_id = str(uuid.uuid5(uuid.NAMESPACE_URL, hashlib.sha256(body).hexdigest()))
    return body, {"Sentry-Hook-Resource": resource, "Request-ID": request_id}


def alert(**user: Any) -> Sample:
    payload = documented("event_alert.json")
    payload["data"]["event"]["user"].update(user)
    return sample("event_alert", payload)


def metric(action: str) -> Sample:
    return sample("metric_alert", documented("metric_alert_resolved.json"), action)


class TestSentry(WebhookTests):
    channel = "sentry"
    setting = "HERODESK_SENTRY_CLIENT_SECRET"
    fixtures = FIXTURES

    @pytest.fixture(autouse=True)
    def _rules(self, db: Any, team: Any, other_team: Any) -> None:
        now = timezone.now()
        RoutingRule.objects.create(
            conditions=[{"field": "sentry_project", "op": "equals", "value": "front-end"}],
            team=team,
            created_at=now,
            updated_at=now,
        )
        RoutingRule.objects.create(
            conditions=[{"field": "sentry_project", "op": "equals", "value": "bar"}],
            team=other_team,
            created_at=now,
            updated_at=now,
        )

    def sign(self, body: bytes, headers: dict[str, str], at: int | None = None) -> dict[str, str]:
        digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        return {
            **headers,
            "Sentry-Hook-Signature": digest,
            "Sentry-Hook-Timestamp": str(int(timezone.now().timestamp()) if at is None else at),
        }

    def sample(self) -> Sample:
        return sample("issue", documented("issue_created.json"))

    def unknown(self) -> Sample:
        return sample("issue", documented("issue_created.json"), "assigned")

    def test_a_created_issue_is_a_t0_alert_routed_by_project(self) -> None:
        delivery = self.expect(
            self.sample(),
            tier=0,
            team="pipeline",
            channel="sentry",
            external_ref="issue:1170820242",
        )
        assert delivery.ticket.subject == "FRONT-END-9: ReferenceError: blooopy is not defined"

    def test_an_issue_alert_is_a_t0_item_for_the_project_in_the_event_url(self) -> None:
        delivery = self.expect(alert(), tier=0, team="pipeline", external_ref="issue:1117540176")
        assert "Very Important Alert Rule!" in delivery.ticket.messages.get().body
        assert delivery.ticket.external_url.startswith("https://sentry.io/organizations/test-org/")

    def test_repeated_alerts_for_one_issue_are_one_item_with_notes(self) -> None:
        first = self.expect(alert())
        payload = documented("event_alert.json")
        payload["data"]["event"]["event_id"] = "0" * 32
        second = self.expect(sample("event_alert", payload))
        assert first.ticket_id == second.ticket_id and Ticket.objects.count() == 1
        assert second.ticket.messages.filter(kind="note").count() == 1

    def test_the_events_username_links_the_alert_to_the_requester(self) -> None:
        ana = Requester.objects.create(email="ana@acme.example", username="ana.lima")
        assert self.expect(alert(username="ana.lima")).ticket.requester == ana

    def test_resolved_in_sentry_resolves_the_item_and_unresolved_reopens_it(self) -> None:
        ticket = self.expect(self.sample()).ticket
        self.expect(sample("issue", documented("issue_created.json"), "resolved"))
        ticket.refresh_from_db()
        assert ticket.status == "solved"
        self.expect(sample("issue", documented("issue_created.json"), "unresolved"))
        ticket.refresh_from_db()
        assert ticket.status == "open"

    def test_a_resolve_for_an_issue_we_never_saw_is_ignored(self) -> None:
        self.expect(sample("issue", documented("issue_created.json"), "resolved"), "ignored")

    def test_metric_alerts_critical_warning_resolved_move_one_item(self) -> None:
        ticket = self.expect(metric("critical"), tier=0, team="monitoring").ticket
        assert self.expect(metric("warning")).ticket_id == ticket.pk
        self.expect(metric("resolved"))
        ticket.refresh_from_db()
        assert ticket.status == "solved" and Ticket.objects.count() == 1

    def test_the_idempotency_key_is_the_request_id(self) -> None:
        body, headers = metric("critical")
        response = self.send(body, headers)
        from herodesk.intake.models import Delivery

        key = Delivery.objects.get(pk=response.json()["delivery"]).key
        assert key == f"request:{headers['Request-ID']}"

    def test_a_missing_resource_header_is_400_and_writes_nothing(self) -> None:
        body = as_json(documented("issue_created.json"))
        before = row_counts()
        self.rejected(self.send(body, {}), 400, before, "Sentry-Hook-Resource")
