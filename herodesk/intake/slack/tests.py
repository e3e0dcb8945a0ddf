"""Slack Events API, fed Slack's documented examples; slack_sdk's SignatureVerifier signs."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer
from slack_sdk.signature import SignatureVerifier

from herodesk.intake.models import RoutingRule, SlackChannel
from herodesk.intake.slack import hook
from herodesk.intake.slack.adapter import DEFAULT_REDIRECT
from herodesk.intake.tests.support import SECRET, Sample, WebhookTests, as_json, row_counts
from herodesk.notify.models import Delivery as Outgoing
from herodesk.teams.models import Person
from herodesk.tickets.models import Ticket

FIXTURES = Path(__file__).parent / "fixtures"
SUPPORT, ESCALATION, COMMUNITY = "C123ABC456", "C0ESCALATE", "C0GENERAL1"
REQUESTER, HERO, BOT = "U123ABC456", "U0HERO0001", "U0BOT00001"


def documented(name: str, **event: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    if "event" in data:
        data["event"].update(event)
    return data


_ids = iter(range(1, 10**6))


def sample(data: dict[str, Any], event_id: str | None = None) -> Sample:
    data = {**data, "event_id": event_id or f"Ev{next(_ids):08d}"}
    return as_json(data), {}


def message(text: str = "Live long and prospect.", channel: str = SUPPORT, **event: Any) -> Sample:
    return sample(documented("message_channels.json", text=text, channel=channel, **event))


def reaction(name: str, ts: str, user: str = HERO, channel: str = SUPPORT) -> Sample:
    item = {"type": "message", "channel": channel, "ts": ts}
    return sample(documented("reaction_added.json", reaction=name, user=user, item=item))


class TestSlack(WebhookTests):
    channel = "slack"
    setting = "HERODESK_SLACK_SIGNING_SECRET"
    fixtures = FIXTURES

    @pytest.fixture(autouse=True)
    def _workspace(self, db: Any, team: Any, hero: Any) -> None:
        SlackChannel.objects.create(channel_id=SUPPORT, name="support", kind="support")
        SlackChannel.objects.create(
            channel_id=ESCALATION, name="cs-escalations", kind="cs_escalation"
        )
        SlackChannel.objects.create(channel_id=COMMUNITY, name="general", kind="community")
        now = timezone.now()
        RoutingRule.objects.create(
            conditions=[{"field": "slack_channel", "op": "equals", "value": "#support"}],
            team=team,
            created_at=now,
            updated_at=now,
        )
        Person.objects.filter(user=hero).update(slack_user_id=HERO)
        self.settings.HERODESK_SLACK_BOT_TOKEN = ""
        self.hero = hero

    def sign(self, body: bytes, headers: dict[str, str], at: int | None = None) -> dict[str, str]:
        stamp = str(at if at is not None else int(time.time()))
        signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
        return {**headers, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}

    def sample(self) -> Sample:
        return sample(documented("message_channels.json"), "Ev123ABC456")

    def unknown(self) -> Sample:
        return sample(documented("message_channels.json", type="app_home_opened"))

    def opened(
        self, text: str = "Live long and prospect.", ts: str = "1355517523.000005"
    ) -> Ticket:
        delivery = self.expect(message(text, ts=ts))
        return Ticket.objects.get(pk=delivery.ticket_id)

    @pytest.fixture
    def slack_api(self, httpserver: HTTPServer) -> HTTPServer:
        self.settings.HERODESK_SLACK_BOT_TOKEN = "xoxb-test"
        self.settings.HERODESK_SLACK_API_URL = httpserver.url_for("/api/")
        return httpserver

    # --- signatures and the handshake ------------------------------------------
    def test_a_stale_or_future_timestamp_is_401_and_writes_nothing(self) -> None:
        body, _ = self.sample()
        before = row_counts()
        for skew in (-301, 301):
            headers = self.sign(body, {}, at=int(time.time()) + skew)
            self.rejected(self.post(body, headers), 401, before, "stale")

    def test_a_timestamp_inside_the_window_is_accepted(self) -> None:
        body, _ = self.sample()
        assert self.post(body, self.sign(body, {}, at=int(time.time()) - 240)).status_code == 200

    def test_our_check_agrees_with_slack_sdks_verifier(self) -> None:
        body, now = self.sample()[0], int(time.time())
        oracle = SignatureVerifier(SECRET)
        for stamp, signature in [(now, None), (now, "v0=" + "0" * 64), (now - 400, None)]:
            headers = self.sign(body, {}, at=stamp)
            if signature:
                headers["X-Slack-Signature"] = signature
            ours = self.post(body, headers).status_code == 200
            assert ours == oracle.is_valid(body, str(stamp), headers["X-Slack-Signature"])

    def test_url_verification_answers_the_challenge_and_stores_nothing(self) -> None:
        before = row_counts()
        response = self.send(self.fixture("url_verification.json"))
        assert response.json() == {
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
        }
        assert row_counts() == before

    # --- support channels ----------------------------------------------------------------
    def test_a_support_channel_message_becomes_an_item_routed_by_channel(self) -> None:
        ticket = self.opened()
        assert (ticket.channel, ticket.team.slug, ticket.tier) == ("slack", "pipeline", 5)
        assert ticket.metadata["slack"] == {
            "channel": SUPPORT,
            "thread_ts": "1355517523.000005",
            "team_id": "T123ABC456",
            "user": REQUESTER,
        }
        assert ticket.requester.slack_user_id == REQUESTER

    def test_the_requesters_slack_email_sets_organization_and_tier(
        self, slack_api: HTTPServer, paying_requester: Any
    ) -> None:
        slack_api.expect_request("/api/users.info").respond_with_json(
            {
                "ok": True,
                "user": {
                    "id": REQUESTER,
                    "profile": {"real_name": "Ana Lima", "email": "ana@acme.example"},
                },
            }
        )
        ticket = self.opened()
        assert ticket.requester == paying_requester and ticket.tier == 3

    def test_bot_messages_and_our_own_posts_are_ignored(self) -> None:
        self.expect(sample(documented("bot_message.json")), "ignored")
        own = documented("message_channels.json")
        own["authorizations"][0].update(is_bot=True)
        self.expect(sample(own), "ignored")
        self.expect(message(subtype="message_changed"), "ignored")
        assert Ticket.objects.count() == 0

    def test_a_message_in_a_channel_not_configured_is_ignored(self) -> None:
        assert "not configured" in self.expect(message(channel="C0RANDOM01"), "ignored").error

    def test_a_requester_reply_in_the_thread_is_a_requester_message(self) -> None:
        ticket = self.opened()
        self.expect(message("Still broken", ts="1355517999.000001", thread_ts="1355517523.000005"))
        assert ticket.messages.last().kind == "requester"

    def test_a_hero_reply_in_the_thread_is_the_public_reply_not_posted_back(self) -> None:
        self.settings.HERODESK_SLACK_BOT_TOKEN = "xoxb-test"
        ticket = self.opened()
        self.expect(
            message("Looking now", ts="1355517999.000002", user=HERO, thread_ts="1355517523.000005")
        )
        ticket.refresh_from_db()
        reply = ticket.messages.last()
        assert reply.kind == "public" and reply.author == self.hero
        assert ticket.first_response_at is not None
        assert not Outgoing.objects.filter(kind="thread_reply").exists()

    # --- CS escalations and community channels -----------------------------------------
    def test_cs_tagging_the_hero_makes_a_t1_item_for_the_heros_team(self) -> None:
        sent = message(f"<@{HERO}> Acme cannot log in since the deploy", channel=ESCALATION)
        delivery = self.expect(sent, tier=1, channel="cs_escalation", team="pipeline")
        assert delivery.ticket.assignee == self.hero
        assert delivery.ticket.messages.get().body == "@Hera Acme cannot log in since the deploy"

    def test_an_escalation_channel_message_without_a_hero_is_ignored(self) -> None:
        self.expect(message("FYI renewal call went well", channel=ESCALATION), "ignored")

    def test_a_community_question_gets_the_redirect_in_its_thread_not_a_ticket(self) -> None:
        self.settings.HERODESK_SLACK_BOT_TOKEN = "xoxb-test"
        self.expect(message("How do I export my events?", channel=COMMUNITY))
        post = Outgoing.objects.get(kind="community_redirect")
        assert post.payload == {
            "channel": COMMUNITY,
            "thread_ts": "1355517523.000005",
            "text": DEFAULT_REDIRECT,
        }
        assert Ticket.objects.count() == 0
        self.expect(message("good morning all :sunny:", channel=COMMUNITY), "ignored")

    def test_a_community_redirect_without_a_bot_token_fails_visibly(self) -> None:
        delivery = self.expect(message("Why is it broken?", channel=COMMUNITY), "failed")
        assert "HERODESK_SLACK_BOT_TOKEN" in delivery.error

    # --- reactions ---------------------------------------------------------------------
    def test_eyes_with_a_skin_tone_takes_the_item_for_the_reacting_person(self) -> None:
        ticket = self.opened()
        self.expect(reaction("eyes::skin-tone-3", "1355517523.000005"))
        ticket.refresh_from_db()
        assert ticket.status == "open" and ticket.assignee == self.hero

    def test_white_check_mark_solves_the_item(self) -> None:
        ticket = self.opened()
        self.expect(reaction("white_check_mark", "1355517523.000005"))
        ticket.refresh_from_db()
        assert ticket.status == "solved"

    def test_the_documented_thumbsup_reaction_means_nothing(self) -> None:
        self.expect(sample(documented("reaction_added.json")), "ignored")

    def test_the_ticket_reaction_turns_a_thread_into_an_item(self, slack_api: HTTPServer) -> None:
        slack_api.expect_request("/api/conversations.replies").respond_with_json(
            {
                "ok": True,
                "messages": [
                    {
                        "type": "message",
                        "user": REQUESTER,
                        "text": "Charts are blank for us",
                        "ts": "1360782400.498405",
                        "thread_ts": "1360782400.498405",
                    },
                    {
                        "type": "message",
                        "user": "U0OTHER001",
                        "text": "Same here",
                        "ts": "1360782500.000001",
                        "thread_ts": "1360782400.498405",
                    },
                ],
            }
        )
        slack_api.expect_request("/api/users.info").respond_with_json(
            {"ok": False, "error": "user_not_found"}
        )
        delivery = self.expect(reaction("ticket", "1360782500.000001", channel="C0RANDOM01"))
        ticket = delivery.ticket
        assert ticket.subject == "Charts are blank for us"
        assert ticket.external_ref == "C0RANDOM01:1360782400.498405"
        assert "Same here" in ticket.messages.get().body

    def test_a_reaction_on_a_message_that_is_not_an_item_is_ignored(self) -> None:
        self.expect(reaction("white_check_mark", "1111111111.000001"), "ignored")


def test_signature_check_refuses_a_garbled_timestamp() -> None:
    from herodesk.intake.base import Unauthorized

    with pytest.raises(Unauthorized, match="not a Unix timestamp"):
        hook.verify(
            {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"},
            b"{}",
            SECRET,
            timezone.now(),
        )
