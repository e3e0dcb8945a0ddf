"""Issue 16 §5: threading by In-Reply-To/References checks the sender.

A reply from an address that is not a participant of the ticket (its
requester, the people copied, earlier senders) is kept on the ticket but
flagged "from a new address"; it does not reopen the ticket by itself and is
never counted as the requester.
"""

from __future__ import annotations

import pytest

from herodesk.intake.email.adapter import accept_email
from herodesk.intake.email.conftest import process, raw_mail
from herodesk.tickets import actions
from herodesk.tickets.models import Channel, Status, Ticket

pytestmark = pytest.mark.django_db
ROOT = "<root.1@acme.example>"


@pytest.fixture
def deliver(settings, tmp_path):
    """Accept a raw mail as the API would, then run its job."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return lambda raw: process(accept_email(raw, envelope={"source": "test"})[0])


def alice_ticket(requester, cc: str = "") -> Ticket:
    """Ana's ticket, opened by her mail <root.1@acme.example> (copying `cc`)."""
    return actions.ticket_create(
        subject="Export to S3 fails",
        body="The nightly export fails.",
        actor="email",
        channel=Channel.EMAIL,
        requester=requester,
        message_external_id=ROOT,
        metadata={"email": {"message_id": ROOT, "cc": [cc] if cc else [], "to": []}},
    )


def reply(sender: str, message_id: str | None = None, **headers: str) -> bytes:
    return raw_mail(
        subject="Re: Export to S3 fails",
        sender=sender,
        message_id=message_id,
        body="Please send the export to my address instead.\n",
        headers={"In-Reply-To": ROOT, **headers},
    )


def solved(ticket: Ticket, hero) -> Ticket:
    actions.ticket_reply(ticket, author=hero, body="Fixed on our side.", status=Status.SOLVED)
    ticket.refresh_from_db()
    return ticket


def test_mallory_quoting_a_known_message_id_is_kept_but_flagged(
    deliver, paying_requester, hero, api_as
):
    ticket = solved(alice_ticket(paying_requester), hero)
    solved_at = ticket.solved_at
    delivery = deliver(reply("Mallory <mallory@evil.example>"))
    assert delivery.status == "processed" and delivery.ticket_id == ticket.pk
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED and ticket.solved_at == solved_at  # not reopened
    assert ticket.requester == paying_requester
    message = ticket.messages.order_by("-id").first()
    assert message.requester is not None and message.requester.email == "mallory@evil.example"
    assert message.requester != paying_requester
    assert message.metadata.get("new_address") is True
    body = api_as(hero).get(f"tickets/{ticket.pk}").json()
    assert body["messages"][-1]["metadata"]["new_address"] is True
    assert body["metadata"]["new_address_senders"] == ["mallory@evil.example"]
    assert body["requester"]["email"] == "ana@acme.example"


def test_a_new_address_on_an_open_ticket_starts_no_clock(deliver, paying_requester, hero):
    ticket = alice_ticket(paying_requester)
    actions.ticket_reply(ticket, author=hero, body="Looking into it.", status=Status.PENDING)
    ticket.refresh_from_db()
    before = (ticket.status, ticket.sla_kind, ticket.last_requester_message_at)
    deliver(reply("mallory@evil.example", References=f"<x@evil.example> {ROOT}"))
    ticket.refresh_from_db()
    assert (ticket.status, ticket.sla_kind, ticket.last_requester_message_at) == before


def test_the_ticket_page_shows_the_flag(deliver, paying_requester, hero, client):
    ticket = alice_ticket(paying_requester)
    deliver(reply("mallory@evil.example"))
    client.force_login(hero)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "from a new address" in page and "mallory@evil.example" in page


def test_the_requester_replying_again_reopens_as_before(deliver, paying_requester, hero):
    ticket = solved(alice_ticket(paying_requester), hero)
    deliver(reply("Ana Lima <ANA@acme.example>"))
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert not ticket.messages.order_by("-id").first().metadata.get("new_address")


def test_someone_copied_on_the_thread_is_a_participant(deliver, paying_requester, hero):
    ticket = solved(alice_ticket(paying_requester, cc="dana@acme.example"), hero)
    deliver(reply("Dana <dana@acme.example>"))
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert not ticket.messages.order_by("-id").first().metadata.get("new_address")


def test_once_flagged_a_sender_stays_flagged(deliver, paying_requester, hero):
    ticket = solved(alice_ticket(paying_requester), hero)
    deliver(reply("mallory@evil.example", message_id="<m1@evil.example>"))
    deliver(reply("mallory@evil.example", message_id="<m2@evil.example>"))
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED
    flags = [m.metadata.get("new_address") for m in ticket.messages.order_by("id")]
    assert flags[-2:] == [True, True]
