"""Zendesk bridge: event-subscription and trigger-template payloads, both casings."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from herodesk.intake.models import RoutingRule
from herodesk.intake.tests.support import SECRET, Sample, WebhookTests, as_json, row_counts
from herodesk.tickets.models import Ticket

FIXTURES = Path(__file__).parent / "fixtures"


def documented(name: str, **detail: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    (data.get("detail") or data.get("ticket") or {}).update(detail)
    return data


def sample(data: dict[str, Any]) -> Sample:
    return as_json(data), {"X-Zendesk-Webhook-Id": "01GK8E6BKWMJZD2T8Y5AXJQMG5"}


def stamp(at: datetime | None = None) -> str:
    return (at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


class TestZendesk(WebhookTests):
    channel = "zendesk"
    setting = "HERODESK_ZENDESK_SECRET"
    fixtures = FIXTURES

    @pytest.fixture(autouse=True)
    def _rules(self, db: Any, team: Any) -> None:
        now = timezone.now()
        RoutingRule.objects.create(channel="zendesk", team=team, created_at=now, updated_at=now)

    def sign(self, body: bytes, headers: dict[str, str], at: int | None = None) -> dict[str, str]:
        when = stamp(datetime.fromtimestamp(at, UTC) if at is not None else None)
        digest = hmac.new(SECRET.encode(), when.encode() + body, hashlib.sha256).digest()
        return {
            **headers,
            "X-Zendesk-Webhook-Signature": base64.b64encode(digest).decode(),
            "X-Zendesk-Webhook-Signature-Timestamp": when,
        }

    def sample(self) -> Sample:
        return sample(documented("event_ticket_created.json"))

    def unknown(self) -> Sample:
        return sample(
            documented("event_ticket_created.json", updated_at="2099-07-04T09:00:00Z")
            | {"type": "zen:event-type:ticket.tags_changed"}
        )

    def created(self) -> Ticket:
        return self.expect(self.sample()).ticket

    def test_an_event_subscription_ticket_becomes_an_item_with_mapped_status_and_tier(
        self,
    ) -> None:
        ticket = self.created()
        assert (ticket.channel, ticket.status, ticket.tier, ticket.team.slug) == (
            "zendesk",
            "open",
            5,
            "pipeline",
        )
        assert ticket.external_ref == "zendesk:5158" and ticket.subject == "ticket_subject"

    def test_a_status_change_in_zendesk_moves_the_item(self) -> None:
        ticket = self.created()
        self.expect(sample(documented("event_status_changed.json")))
        ticket.refresh_from_db()
        assert ticket.status == "solved"

    def test_a_trigger_template_with_integer_id_and_capitalized_enums_is_mapped(self) -> None:
        delivery = self.expect(
            sample(documented("trigger_ticket_updated.json")),
            tier=2,
            status="pending",
            external_ref="zendesk:35436",
        )
        assert delivery.ticket.requester.email == "ana@acme.example"
        assert delivery.ticket.external_url == "https://acme.zendesk.com/agent/tickets/35436"

    def test_every_casing_of_status_and_priority_maps_the_same(self) -> None:
        for i, (status, priority) in enumerate(
            [("HOLD", "URGENT"), ("hold", "urgent"), ("Hold", "Urgent")]
        ):
            data = documented(
                "trigger_ticket_updated.json", id=str(900 + i), status=status, priority=priority
            )
            self.expect(sample(data), status="pending", tier=2)

    def test_a_priority_change_sets_the_tier(self) -> None:
        ticket = self.created()
        self.expect(
            sample(
                documented(
                    "event_ticket_created.json",
                    priority="NORMAL",
                    updated_at="2099-07-04T07:00:00Z",
                )
                | {"type": "zen:event-type:ticket.priority_changed"}
            )
        )
        ticket.refresh_from_db()
        assert ticket.tier == 3

    def test_a_requester_comment_is_a_requester_message(self) -> None:
        ticket = self.created()
        self.expect(sample(documented("event_comment_added.json")))
        assert ticket.messages.last().body == "Any update on this?"
        self.expect(
            sample(documented("event_comment_added.json", updated_at="2099-07-04T05:41:00Z"))
        )
        assert ticket.messages.count() == 2  # the same comment twice is one message

    def test_a_ticket_closed_before_we_saw_it_is_ignored(self) -> None:
        self.expect(sample(documented("event_ticket_created.json", status="CLOSED")), "ignored")
        assert Ticket.objects.count() == 0

    def test_a_stale_signature_timestamp_is_401_and_writes_nothing(self) -> None:
        body, headers = self.sample()
        old = int((datetime.now(UTC) - timedelta(hours=2)).timestamp())
        before = row_counts()
        self.rejected(self.post(body, self.sign(body, headers, at=old)), 401, before, "stale")

    def test_a_body_without_a_ticket_id_is_400(self) -> None:
        data = documented("trigger_ticket_updated.json")
        del data["ticket"]["id"]
        before = row_counts()
        self.rejected(self.send(*sample(data)), 400, before, "id")
