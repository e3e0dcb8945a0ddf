"""GitHub webhooks, fed GitHub's own documented examples (npm @octokit/webhooks-examples)."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from herodesk.intake import base
from herodesk.intake.github import hook
from herodesk.intake.models import Delivery, GitHubRepository, RoutingRule
from herodesk.intake.tests import octokit
from herodesk.intake.tests.support import (
    SECRET,
    Sample,
    WebhookTests,
    as_json,
    row_counts,
)
from herodesk.tickets.models import Message, Ticket

REPOS = ("Codertocat/Hello-World", "octo-org/octo-repo", "Octocoders/Hello-World")


def github_headers(event: str, delivery: str | None = None) -> dict[str, str]:
    return {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-GitHub-Hook-ID": "109948940",
        "User-Agent": "GitHub-Hookshot/044aadd",
    }


def outsider(payload: dict[str, Any], association: str = "NONE") -> dict[str, Any]:
    for part in ("issue", "comment"):
        if isinstance(payload.get(part), dict):
            payload[part]["author_association"] = association
    return payload


def sample_of(event: str, payload: dict[str, Any], delivery: str | None = None) -> Sample:
    return as_json(payload), github_headers(event, delivery)


def opened(association: str = "NONE", **issue: Any) -> Sample:
    payload = outsider(octokit.example("issues", "opened"), association)
    payload["issue"].update(issue)
    return sample_of("issues", payload)


class TestGitHub(WebhookTests):
    channel = "github"
    setting = "HERODESK_GITHUB_SECRET"
    fixtures = Path(__file__).parent / "fixtures"

    @pytest.fixture(autouse=True)
    def _repos(self, db: Any, team: Any) -> None:
        for name in REPOS:
            GitHubRepository.objects.create(full_name=name)
        now = timezone.now()
        RoutingRule.objects.create(
            conditions=[{"field": "repository", "op": "equals", "value": "codertocat/hello-world"}],
            team=team,
            created_at=now,
            updated_at=now,
        )
        self.team = team

    def sign(self, body: bytes, headers: dict[str, str], at: int | None = None) -> dict[str, str]:
        digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        return {**headers, "X-Hub-Signature-256": f"sha256={digest}"}

    def sample(self) -> Sample:
        payload = outsider(octokit.example("issues", "opened"))
        return sample_of("issues", payload, "72d3162e-cc78-11e3-81ab-4c9367dc0958")

    def unknown(self) -> Sample:
        return sample_of("star", {"action": "created", "starred_at": "2019-05-15T15:20:40Z"})

    def test_an_outside_contributors_issue_becomes_a_t4_item_linking_back(self) -> None:
        delivery = self.expect(opened(), tier=4, channel="github", team="pipeline", status="new")
        ticket = delivery.ticket
        assert ticket.external_url == "https://github.com/Codertocat/Hello-World/issues/1"
        assert ticket.external_ref == "codertocat/hello-world#1"
        assert ticket.requester.github_login == "Codertocat"
        assert ticket.subject == "Spelling error in the README file"

    def test_an_issue_opened_by_an_organization_member_is_ignored(self) -> None:
        for association in ("OWNER", "MEMBER", "COLLABORATOR"):
            delivery = self.expect(opened(association), outcome="ignored")
            assert association in delivery.error and Ticket.objects.count() == 0

    def test_an_issue_opened_by_a_bot_is_ignored(self) -> None:
        bot = {"login": "dependabot[bot]", "type": "Bot", "id": 49699333}
        assert "bot" in self.expect(opened(user=bot), outcome="ignored").error

    def test_an_issue_on_a_repository_not_configured_is_ignored(self) -> None:
        GitHubRepository.objects.filter(full_name="codertocat/hello-world").update(enabled=False)
        assert "not configured" in self.expect(opened(), outcome="ignored").error

    def test_two_deliveries_for_one_issue_make_one_item(self) -> None:
        first, second = self.expect(opened()), self.expect(opened())
        assert first.pk != second.pk and first.ticket_id == second.ticket_id
        assert Ticket.objects.count() == 1 and Message.objects.count() == 1

    def test_replaying_a_processed_delivery_adds_nothing(self) -> None:
        delivery = self.expect(opened())
        counts = row_counts()
        base.process(delivery)
        assert row_counts() == counts and delivery.status == "processed"

    def test_an_outsiders_comment_opens_the_issue_as_an_item(self) -> None:
        comment = outsider(octokit.example("issue_comment", "created"))
        self.expect(
            sample_of("issue_comment", comment),
            tier=4,
            external_url=("https://github.com/Codertocat/Hello-World/issues/1"),
        )

    def test_an_outsiders_comment_on_an_item_is_a_requester_message(self) -> None:
        ticket = self.expect(opened()).ticket
        comment = outsider(octokit.example("issue_comment", "created"))
        self.expect(sample_of("issue_comment", comment))
        assert ticket.messages.count() == 2 and ticket.messages.last().kind == "requester"

    def test_a_members_comment_is_mirrored_as_the_public_reply(self) -> None:
        ticket = self.expect(opened()).ticket
        self.expect(sample_of("issue_comment", octokit.example("issue_comment", "created")))
        ticket.refresh_from_db()
        reply = ticket.messages.last()
        assert reply.kind == "public" and reply.metadata["mirrored_from"] == "github"
        assert ticket.first_response_at is not None and ticket.status == "open"

    def test_closing_and_reopening_the_issue_moves_the_item(self) -> None:
        ticket = self.expect(opened()).ticket
        closed = octokit.example("issues", "opened")  # the examples have no "closed"
        closed["action"], closed["issue"]["state"] = "closed", "closed"
        self.expect(sample_of("issues", closed))
        ticket.refresh_from_db()
        assert ticket.status == "solved"
        self.expect(sample_of("issues", octokit.example("issues", "reopened")))
        ticket.refresh_from_db()
        assert ticket.status == "open"

    def test_an_edit_on_github_is_noted_on_the_item(self) -> None:
        ticket = self.expect(opened()).ticket
        edited = octokit.example("issues", "edited")
        edited["issue"]["number"] = 1
        edited["changes"] = {"title": {"from": "Old title"}}
        self.expect(sample_of("issues", edited))
        note = ticket.messages.get(kind="note")
        assert "Old title → Spelling error in the README file" in note.body

    def test_a_form_encoded_delivery_is_accepted(self) -> None:
        body, headers = opened()
        form = urlencode({"payload": body.decode()}).encode()
        response = self.post(form, self.sign(form, headers), "application/x-www-form-urlencoded")
        assert response.status_code == 200, response.content
        delivery = Delivery.objects.get()
        base.process(delivery)
        assert Delivery.objects.get().status == "processed"

    def test_every_documented_issue_example_is_processed_or_ignored_never_failed(self) -> None:
        for event in ("issues", "issue_comment", "ping"):
            for payload in octokit.examples(event):
                for association in ("OWNER", "NONE"):
                    delivery = self.deliver(*sample_of(event, outsider(payload, association)))
                    assert delivery.status in ("processed", "ignored"), (event, delivery.error)

    def test_a_missing_event_header_is_400(self) -> None:
        body, headers = opened()
        del headers["X-GitHub-Event"]
        before = row_counts()
        self.rejected(self.send(body, headers), 400, before, "X-GitHub-Event")


def test_signature_matches_githubs_documented_test_vector() -> None:
    # https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
    headers = {
        "X-Hub-Signature-256": (
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        )
    }
    hook.verify(headers, b"Hello, World!", "It's a Secret to Everybody", timezone.now())
    with pytest.raises(base.Unauthorized):
        hook.verify(headers, b"Hello, World?", "It's a Secret to Everybody", timezone.now())
