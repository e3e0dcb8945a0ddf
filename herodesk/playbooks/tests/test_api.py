"""Playbooks through the API: start, perform, locked steps, cancel, roles, audit."""

from __future__ import annotations

import pytest

from herodesk.audit.models import Event
from herodesk.playbooks.models import PlaybookRun, PlaybookStep

pytestmark = pytest.mark.django_db


def states(run: dict) -> dict[str, str]:
    return {s["key"]: s["state"] for s in run["steps"]}


def test_the_list_names_every_playbook_with_its_steps(api_as, hero):
    res = api_as(hero).get("playbooks")
    assert res.status_code == 200
    body = res.json()
    assert [p["slug"] for p in body] == [
        "2fa-removal",
        "ownership-transfer",
        "app-review",
        "app-update-review",
    ]
    assert body[0]["steps"] == [
        {
            "key": "send-confirmation",
            "kind": "email",
            "title": "Send the confirmation email to the account owner",
        },
        {
            "key": "owner-reply",
            "kind": "wait-for-reply",
            "title": "Wait for the account owner's reply",
        },
        {"key": "remove-device", "kind": "guarded-action", "title": "Remove the 2FA device"},
    ]


def test_start_defaults_the_account_to_the_requester_and_allows_one_active_run(
    api_as, hero, email_ticket
):
    api = api_as(hero)
    res = api.post(f"tickets/{email_ticket.pk}/playbooks", {"playbook": "2fa-removal"})
    assert res.status_code == 201, res.json()
    run = res.json()
    assert run["inputs"] == {"account_email": "ana@acme.example", "account_name": "Ana Lima"}
    assert run["state"] == "active" and run["ticket"] == email_ticket.pk
    assert states(run) == {
        "send-confirmation": "ready",
        "owner-reply": "locked",
        "remove-device": "locked",
    }
    again = api.post(f"tickets/{email_ticket.pk}/playbooks", {"playbook": "2fa-removal"})
    assert again.status_code == 409
    assert (
        again.json()["detail"] == f"ticket #{email_ticket.pk} already has an active 2FA removal run"
    )
    event = Event.objects.get(action="playbook.started")
    assert event.actor == hero and event.ticket_id == email_ticket.pk


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"playbook": "nope"}, 422, "playbook"),
        (
            {"playbook": "2fa-removal", "inputs": {"account_email": "not-an-address"}},
            422,
            "inputs.account_email",
        ),
        ({"playbook": "2fa-removal", "inputs": {"password": "x"}}, 422, "inputs.password"),
        ({"playbook": "ownership-transfer"}, 422, "inputs.owner_email"),
        ({"playbook": "app-review", "inputs": {"repository": "ftp://x"}}, 422, "inputs.repository"),
    ],
)
def test_bad_starts_are_refused_and_write_nothing(
    api_as, hero, email_ticket, payload, status, field
):
    res = api_as(hero).post(f"tickets/{email_ticket.pk}/playbooks", payload)
    assert res.status_code == status
    assert res.json()["field"] == field
    assert not PlaybookRun.objects.exists()
    assert not Event.objects.filter(action__startswith="playbook.").exists()


def test_roles_outsiders_and_other_teams_cannot_start_or_perform(
    api_as, hero, other_hero, outsider, email_ticket
):
    assert api_as(outsider).get("playbooks").status_code == 403
    res = api_as(other_hero).post(
        f"tickets/{email_ticket.pk}/playbooks", {"playbook": "app-review"}
    )
    assert res.status_code == 403
    run = (
        api_as(hero).post(f"tickets/{email_ticket.pk}/playbooks", {"playbook": "app-review"}).json()
    )
    res = api_as(other_hero).post(f"playbook-runs/{run['id']}/cancel", {"reason": "mine now"})
    assert res.status_code == 403
    assert api_as(None).get(f"playbook-runs/{run['id']}").status_code == 401


def test_a_decision_branches_and_every_change_is_audited(api_as, hero, email_ticket):
    api = api_as(hero)
    run = api.post(
        f"tickets/{email_ticket.pk}/playbooks",
        {"playbook": "ownership-transfer", "inputs": {"owner_email": "old.owner@acme.example"}},
    ).json()
    rid = run["id"]
    locked = api.post(f"playbook-runs/{rid}/steps/owner-transferred", {"choice": "reset"})
    assert locked.status_code == 409
    assert locked.json()["detail"] == (
        "«Did the current owner transfer the ownership?» is locked: waits for "
        "«Ask the requester to get the current owner to transfer»"
    )
    assert api.post(f"playbook-runs/{rid}/steps/ask-owner", {}).status_code == 200
    bad = api.post(f"playbook-runs/{rid}/steps/owner-transferred", {"choice": "maybe"})
    assert (bad.status_code, bad.json()["field"]) == (422, "choice")
    run = api.post(f"playbook-runs/{rid}/steps/owner-transferred", {"choice": "transferred"}).json()
    assert states(run)["password-reset"] == "skipped"
    assert states(run)["transfer"] == "skipped"
    assert states(run)["paid-plan"] == "ready"
    step = next(s for s in run["steps"] if s["key"] == "owner-transferred")
    assert (step["done_by"], step["choice"]) == ("hera", "transferred")
    actions = list(
        Event.objects.filter(action__startswith="playbook.step_").values_list("action", flat=True)
    )
    assert actions.count("playbook.step_done") == 2
    assert (
        actions.count("playbook.step_skipped") == 6
    )  # reset, reset-done, email, bounce, login, transfer
    assert unknown_step(api, rid).status_code == 404


def unknown_step(api, rid):
    return api.post(f"playbook-runs/{rid}/steps/nope", {})


def test_cancel_needs_a_reason_and_ends_the_run(api_as, hero, email_ticket):
    api = api_as(hero)
    rid = api.post(f"tickets/{email_ticket.pk}/playbooks", {"playbook": "app-review"}).json()["id"]
    assert api.post(f"playbook-runs/{rid}/cancel", {"reason": "  "}).status_code == 422
    run = api.post(
        f"playbook-runs/{rid}/cancel", {"reason": "the customer withdrew the app"}
    ).json()
    assert run["state"] == "cancelled" and run["cancel_reason"] == "the customer withdrew the app"
    res = api.post(f"playbook-runs/{rid}/steps/read-code", {})
    assert res.status_code == 409
    assert api.post(f"playbook-runs/{rid}/cancel", {"reason": "again"}).status_code == 409
    event = Event.objects.get(action="playbook.cancelled")
    assert event.after == {"reason": "the customer withdrew the app"}
    # a new run may start once the old one is over
    assert (
        api.post(f"tickets/{email_ticket.pk}/playbooks", {"playbook": "app-review"}).status_code
        == 201
    )


def test_a_run_reads_in_a_fixed_number_of_queries(
    api_as, hero, email_ticket, django_assert_max_num_queries
):
    api = api_as(hero)
    rid = api.post(
        f"tickets/{email_ticket.pk}/playbooks",
        {"playbook": "ownership-transfer", "inputs": {"owner_email": "o@acme.example"}},
    ).json()["id"]
    api.post(f"playbook-runs/{rid}/steps/ask-owner", {})
    api.post(f"playbook-runs/{rid}/steps/owner-transferred", {"choice": "transferred"})
    with django_assert_max_num_queries(8):
        assert api.get(f"playbook-runs/{rid}").status_code == 200
    assert PlaybookStep.objects.filter(run_id=rid).count() == 2
