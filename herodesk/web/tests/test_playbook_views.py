"""The ticket page's playbooks and customer panel: forms, audited links, roles."""

from __future__ import annotations

import pytest

from herodesk.audit.models import Event
from herodesk.playbooks.models import PlaybookRun
from herodesk.playbooks.review.tests.build import clean_plugin, zip_bytes
from herodesk.web.tests.conftest import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(team, paying_requester):
    return make_ticket(team, paying_requester, subject="Please add our app")


def test_the_page_offers_every_playbook_and_starts_one(login, hero, ticket):
    client = login(hero)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="playbooks"' in page and "Start playbook" in page
    assert "No playbook on this ticket" in page
    res = client.post(f"/tickets/{ticket.pk}/playbooks/", {"playbook": "app-review"})
    assert res.status_code == 302 and res["Location"].endswith("#playbooks")
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "New app review" in page and "in progress" in page
    assert "Locked: waits for «Upload the source archive: automatic checks»" in page
    assert 'data-playbook="app-review"' not in page  # one active run per playbook


def test_an_uploaded_archive_shows_its_findings_with_file_and_line(login, hero, ticket):
    client = login(hero)
    client.post(f"/tickets/{ticket.pk}/playbooks/", {"playbook": "app-review"})
    run = PlaybookRun.objects.get()
    files = clean_plugin()
    files["index.ts"] = (
        b"export async function onEvent(e) {\n  for (;;) { await fetch(e.url) }\n}\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    res = client.post(
        f"/playbook-runs/{run.pk}/review/",
        {"archive": SimpleUploadedFile("app.zip", zip_bytes(files))},
        follow=True,
    )
    page = res.content.decode()
    assert "failed: 1 finding(s)" in page
    assert "<code>index.ts:2</code>" in page and "unbounded-requests" in page
    assert "review #" in page and "failed: 1 error(s) (unbounded-requests)" in page


def test_a_bad_archive_says_why_on_the_page(login, hero, ticket):
    client = login(hero)
    client.post(f"/tickets/{ticket.pk}/playbooks/", {"playbook": "app-review"})
    run = PlaybookRun.objects.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    res = client.post(
        f"/playbook-runs/{run.pk}/review/",
        {"archive": SimpleUploadedFile("evil.zip", zip_bytes({"../x.js": b"1"}))},
        follow=True,
    )
    assert "refusing a path that leaves the archive: ../x.js (unsafe-path)" in res.content.decode()


def test_customer_links_need_a_reason_and_are_audited(login, hero, ticket, settings):
    settings.HERODESK_LINKS = {
        "HERODESK_LINK_LOGIN_AS_US": "https://us.example/admin/login/{user_id}/",
        "HERODESK_LINK_BILLING": "https://billing.example/customers/{org_id}",
    }
    requester = ticket.requester
    requester.external_id = "u-77"
    requester.save()
    client = login(hero)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Log in as this user" in page
    assert "Billing customer: this link needs {org_id}" in page  # no org id on file
    refused = client.post(
        f"/tickets/{ticket.pk}/customer-links/login-as/", {"reason": ""}, follow=True
    )
    assert "say why you open this link" in refused.content.decode()
    assert not Event.objects.filter(action="customer.link_opened").exists()
    res = client.post(
        f"/tickets/{ticket.pk}/customer-links/login-as/", {"reason": "reproduce the empty funnel"}
    )
    assert res.status_code == 302 and res["Location"] == "https://us.example/admin/login/u-77/"
    event = Event.objects.get(action="customer.link_opened")
    assert event.actor == hero and event.ticket_id == ticket.pk
    assert event.after["reason"] == "reproduce the empty funnel"


def test_guarded_links_open_only_when_the_step_is_ready(login, hero, ticket, settings):
    settings.HERODESK_LINKS = {"HERODESK_LINK_2FA_US": "https://us.example/otp/?email={user_email}"}
    client = login(hero)
    client.post(f"/tickets/{ticket.pk}/playbooks/", {"playbook": "2fa-removal"})
    run = PlaybookRun.objects.get()
    res = client.post(f"/playbook-runs/{run.pk}/steps/remove-device/link/", follow=True)
    assert "is not ready: waits for" in res.content.decode()
    assert not Event.objects.filter(action="playbook.link_opened").exists()


def test_other_teams_read_but_cannot_act(login, other_hero, ticket):
    client = login(other_hero)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Start playbook" not in page
    res = client.post(f"/tickets/{ticket.pk}/playbooks/", {"playbook": "app-review"})
    assert res.status_code == 403
    assert not PlaybookRun.objects.exists()
    res = client.post(f"/tickets/{ticket.pk}/customer-links/login-as/", {"reason": "curious"})
    assert res.status_code == 403
    assert not Event.objects.filter(action="customer.link_opened").exists()


def test_a_t1_escalation_goes_to_the_cs_owner(team, paying_requester, hero):
    from herodesk.web.tests.conftest import make_ticket as make

    org = paying_requester.organization
    org.cs_owner = hero
    org.save()
    ticket = make(team, paying_requester, channel="cs_escalation", tier=1)
    ticket.refresh_from_db()
    assert ticket.assignee == hero
    event = Event.objects.get(action="ticket.assigned", ticket=ticket)
    assert event.actor_label == "system"


def test_the_paid_plan_decision_shows_the_plan_on_file(login, hero, ticket):
    client = login(hero)
    client.post(
        f"/tickets/{ticket.pk}/playbooks/",
        {"playbook": "ownership-transfer", "input_owner_email": "old@acme.example"},
    )
    run = PlaybookRun.objects.get()
    client.post(f"/playbook-runs/{run.pk}/steps/ask-owner/")
    client.post(f"/playbook-runs/{run.pk}/steps/owner-transferred/", {"choice": "transferred"})
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "The organization&#x27;s plan on file: Teams." in page
