"""The gates with real parts: playbook mail leaves through a real SMTP server on
loopback, replies and bounces come back as raw MIME through the email intake."""

from __future__ import annotations

from pathlib import Path

import pytest

from herodesk.audit.models import Event
from herodesk.intake.email.conftest import raw_mail
from herodesk.notify.tests.conftest import run_jobs
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "intake" / "email" / "fixtures"


def step(run: dict, key: str) -> dict:
    return next(s for s in run["steps"] if s["key"] == key)


def reply(
    sender: str, subject: str, answers: str | None, body: str = "Yes, please remove it."
) -> bytes:
    headers = {"In-Reply-To": answers, "References": answers} if answers else {}
    return raw_mail(sender=sender, subject=f"Re: {subject}", body=f"{body}\n", headers=headers)


def test_2fa_gate_opens_only_for_the_account_owners_reply_on_the_thread(
    api_as, hero, email_ticket, smtp, deliver, settings
):
    settings.HERODESK_LINKS = {
        "HERODESK_LINK_2FA_US": "https://us.example/admin/otp/totpdevice/?user__email={user_email}"
    }
    api = api_as(hero)
    rid = api.post(
        f"tickets/{email_ticket.pk}/playbooks",
        {
            "playbook": "2fa-removal",
            "inputs": {"account_email": "root@acme.example", "account_name": "Rita"},
        },
    ).json()["id"]
    early = api.post(f"playbook-runs/{rid}/steps/remove-device", {})
    assert early.status_code == 409
    assert (
        "is locked: waits for «Send the confirmation email to the account owner»"
        in early.json()["detail"]
    )

    run = api.post(f"playbook-runs/{rid}/steps/send-confirmation", {}).json()
    assert run_jobs() >= 1
    [sent] = [m for m in smtp.inbox.messages if m["To"] == "root@acme.example"]
    subject = str(sent["Subject"])
    assert subject == (
        f"Confirmation Required: Removal of 2FA on your PostHog Account [HD#{email_ticket.pk}]"
    )
    text = sent.get_content().replace("\r\n", "\n")
    assert text.startswith("Hi Rita,\n\nAccording to ticket #")
    assert "please let me know immediately." in text and text.rstrip().endswith("Best,\nHera")
    message_id = str(sent["Message-ID"])
    assert step(run, "send-confirmation")["detail"]["message_id"] == message_id

    # The requester answers on the thread: not the account owner, the gate stays shut.
    deliver(reply("Ana Lima <ana@acme.example>", subject, message_id))
    # The owner writes a new mail with the ticket tag but not on the thread: no effect.
    deliver(reply("root@acme.example", subject, None))
    run = api.get(f"playbook-runs/{rid}").json()
    gate = step(run, "owner-reply")
    assert gate["state"] == "ready"
    assert gate["observation"]["text"] == (
        "reply from ana@acme.example is not the account owner (root@acme.example)"
    )
    refused = api.post(f"playbook-runs/{rid}/steps/remove-device", {})
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "«Remove the 2FA device» is locked: waits for «Wait for the account owner's reply» "
        "(no accepted reply yet)"
    )
    by_hand = api.post(f"playbook-runs/{rid}/steps/owner-reply", {})
    assert by_hand.status_code == 409

    # The owner answers on the thread: the gate opens.
    deliver(reply("Rita Root <ROOT@acme.example>", subject, message_id, "Confirmed, it was me."))
    run = api.get(f"playbook-runs/{rid}").json()
    gate = step(run, "owner-reply")
    assert (gate["state"], gate["done_by"]) == ("done", "email:root@acme.example")
    assert step(run, "remove-device")["state"] == "ready"
    assert Ticket.objects.count() == 2  # the untagged-thread mail opened its own ticket

    run = api.post(
        f"playbook-runs/{rid}/steps/remove-device", {"note": "TOTP device deleted"}
    ).json()
    done = step(run, "remove-device")
    assert run["state"] == "finished"
    assert done["detail"]["link"] == (
        "https://us.example/admin/otp/totpdevice/?user__email=root@acme.example"
    )
    assert [g["step"] for g in done["detail"]["gates"]] == ["owner-reply"]
    assert done["detail"]["gates"][0]["from"] == "root@acme.example"
    audit = list(Event.objects.filter(ticket=email_ticket).values_list("action", "actor_label"))
    assert ("playbook.step_observed", "email:ana@acme.example") in audit
    assert ("playbook.step_done", "email:root@acme.example") in audit
    assert ("playbook.step_done", "hera") in audit
    assert ("playbook.finished", "hera") in audit


def test_ownership_transfer_bounce_branch(
    api_as, hero, email_ticket, smtp, deliver, settings, httpserver
):
    settings.HERODESK_LINKS = {"HERODESK_LINK_ORG_US": "https://us.example/admin/org/{org_id}/"}
    settings.HERODESK_CUSTOMER_DATA_URL = httpserver.url_for("/users") + "?email={user_email}"
    httpserver.expect_request("/users").respond_with_json({"last_login": "2025-01-31T08:00:00Z"})
    org = email_ticket.requester.organization
    org.external_id = "org_42"
    org.save()
    api = api_as(hero)
    rid = api.post(
        f"tickets/{email_ticket.pk}/playbooks",
        {"playbook": "ownership-transfer", "inputs": {"owner_email": "old.owner@tiny.example"}},
    ).json()["id"]
    api.post(f"playbook-runs/{rid}/steps/ask-owner", {})
    api.post(f"playbook-runs/{rid}/steps/owner-transferred", {"choice": "unreachable"})
    run = api.post(f"playbook-runs/{rid}/steps/email-owner", {}).json()
    run_jobs()
    playbook_mail = [m for m in smtp.inbox.messages if "wnership" in str(m["Subject"])]
    assert [m["To"] for m in playbook_mail] == ["ana@acme.example", "old.owner@tiny.example"]
    ask = playbook_mail[0]
    assert ask["In-Reply-To"] == "<first.1@acme.example>"  # the ask is threaded on the ticket
    sent_id = step(run, "email-owner")["detail"]["message_id"]
    assert (
        step(run, "transfer")["reason"] == "waits for «Watch for a bounce from the owner's address»"
    )

    dsn = (FIXTURES / "bounce_dsn.eml").read_bytes()
    dsn = dsn.replace(b"<hd-playbook-303-1.1741701700@herodesk.localhost>", sent_id.encode())
    delivery = deliver(dsn, mail_from="")
    assert (delivery.status, delivery.ticket_id) == ("processed", email_ticket.pk)
    run = api.get(f"playbook-runs/{rid}").json()
    bounce = step(run, "owner-bounce")
    assert (bounce["state"], bounce["done_by"]) == ("done", "system")
    assert bounce["detail"]["bounced"] is True
    assert bounce["detail"]["recipients"] == ["old.owner@tiny.example"]

    run = api.post(f"playbook-runs/{rid}/steps/owner-last-login", {}).json()
    login = step(run, "owner-last-login")["detail"]
    assert login["last_login"] == "2025-01-31T08:00:00+00:00"
    run = api.post(f"playbook-runs/{rid}/steps/transfer", {"note": "moved to ana@"}).json()
    transfer = step(run, "transfer")["detail"]
    assert transfer["link"] == "https://us.example/admin/org/org_42/"
    assert [g["step"] for g in transfer["gates"]] == ["owner-bounce", "owner-last-login"]
    run = api.post(f"playbook-runs/{rid}/steps/paid-plan", {"choice": "paid"}).json()
    assert step(run, "switch-billing")["state"] == "ready"
    assert step(run, "outcome")["state"] == "locked"


def test_a_bounce_for_mail_we_did_not_send_changes_nothing(
    deliver, api_as, hero, email_ticket, smtp
):
    api = api_as(hero)
    rid = api.post(
        f"tickets/{email_ticket.pk}/playbooks",
        {"playbook": "ownership-transfer", "inputs": {"owner_email": "old.owner@tiny.example"}},
    ).json()["id"]
    deliver((FIXTURES / "bounce_dsn.eml").read_bytes(), mail_from="")
    run = api.get(f"playbook-runs/{rid}").json()
    assert step(run, "owner-bounce")["state"] == "locked"
