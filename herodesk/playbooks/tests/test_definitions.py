"""The built-in playbooks are well formed: params name real inputs, steps and links."""

from __future__ import annotations

import string

import pytest

from herodesk.domain.playbook import Kind
from herodesk.playbooks.definitions import PLAYBOOKS

TEMPLATE_NAMES = {
    "product",
    "ticket",
    "hero",
    "name",
    "requester_name",
    "organization",
    "owner_email",
    "account_email",
}
LINKS = {"2fa", "org", "billing", "apps", "login-as"}
PROBES = {"bounce", "last-login", "app-review", "app-update-review"}


def test_the_four_built_in_playbooks_exist():
    assert list(PLAYBOOKS) == [
        "2fa-removal",
        "ownership-transfer",
        "app-review",
        "app-update-review",
    ]


@pytest.mark.parametrize("playbook", PLAYBOOKS.values(), ids=list(PLAYBOOKS))
def test_step_params_refer_to_real_things(playbook):
    inputs = {i.key for i in playbook.inputs}
    keys = [s.key for s in playbook.steps]
    for index, step in enumerate(playbook.steps):
        params = dict(step.params)
        if step.kind is Kind.EMAIL:
            assert params["to"] in inputs | {"requester"}
            for template in (params["subject"], params["body"]):
                names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
                assert names <= TEMPLATE_NAMES, names - TEMPLATE_NAMES
        if step.kind is Kind.WAIT:
            assert params["sender"] in inputs
            assert playbook.step(params["email"]).kind is Kind.EMAIL
            assert keys.index(params["email"]) < index
        if step.kind is Kind.AUTO_CHECK:
            assert params["probe"] in PROBES
            if params["probe"] == "bounce":
                assert playbook.step(params["email"]).kind is Kind.EMAIL
        if step.kind is Kind.ACTION:
            assert params["link"] in LINKS
            assert params.get("region", "EU") in ("EU", "US")


def test_the_2fa_email_is_the_handbook_text():
    email = PLAYBOOKS["2fa-removal"].step("send-confirmation").params
    values = {"product": "PostHog", "name": "Ana", "ticket": 42, "hero": "Sam"}
    assert email["subject"].format(**values) == (
        "Confirmation Required: Removal of 2FA on your PostHog Account"
    )
    assert " ".join(email["body"].format(**values).split()) == (
        "Hi Ana, According to ticket #42, you mentioned wanting to remove the current 2FA "
        "method. Could you please confirm this by replying to this email? If you haven't "
        "requested this change, please let me know immediately. Best, Sam"
    )
