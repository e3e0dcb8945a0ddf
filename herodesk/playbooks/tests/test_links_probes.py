"""Link templates (HERODESK_LINK_*) and the last-login probe against a local HTTP server."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from herodesk.playbooks.links import LinkError, build, read_templates, template_for
from herodesk.playbooks.probes import ProbeError, fetch_last_login


def test_templates_are_read_per_region_with_a_shared_fallback():
    templates = read_templates(
        {
            "HERODESK_LINK_2FA_EU": "https://eu.example/admin/otp/?user__email={user_email}",
            "HERODESK_LINK_2FA_US": "https://us.example/admin/otp/?user__email={user_email}",
            "HERODESK_LINK_BILLING": "https://dashboard.stripe.com/customers/{org_id}",
            "UNRELATED": "x",
        }
    )
    assert template_for(templates, "2fa", "EU").startswith("https://eu.example")
    assert template_for(templates, "2fa", "US").startswith("https://us.example")
    assert template_for(templates, "billing", "EU") == (
        "https://dashboard.stripe.com/customers/{org_id}"
    )
    assert template_for(templates, "login-as", "EU") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("javascript:alert(1)//{user_id}", "must be an http(s) URL"),
        ("/admin/{user_id}", "must be an http(s) URL"),
        ("https://x.example/{password}", "uses {password}; allowed: {org_id}, {user_email}"),
        ("https://x.example/{user_id", "is not a valid template"),
    ],
)
def test_bad_templates_stop_start_up_with_the_variable_named(value, message):
    with pytest.raises(LinkError, match="HERODESK_LINK_LOGIN_AS_EU") as caught:
        read_templates({"HERODESK_LINK_LOGIN_AS_EU": value})
    assert message in str(caught.value)


def test_values_are_url_encoded_and_missing_ones_refused():
    template = "https://eu.example/admin/login/{user_id}/?next=/&email={user_email}"
    url = build(template, {"user_id": "42/../7", "user_email": "ana+test@acme.example"})
    assert url == "https://eu.example/admin/login/42%2F..%2F7/?next=/&email=ana%2Btest@acme.example"
    with pytest.raises(LinkError, match=r"needs \{user_id\}"):
        build(template, {"user_email": "a@b.example", "user_id": ""})


def test_last_login_from_the_customer_data_endpoint(httpserver):
    httpserver.expect_request(
        "/api/users",
        query_string="email=owner@acme.example",
        headers={"Authorization": "Bearer s3cret"},
    ).respond_with_json({"last_login": "2026-03-01T10:00:00Z", "name": "Old Owner"})
    url = httpserver.url_for("/api/users") + "?email={user_email}"
    found = fetch_last_login(url, "owner@acme.example", token="s3cret")
    assert found.at == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert found.source == f"{httpserver.host}:{httpserver.port}"


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (200, json.dumps({"last_login": None}), None),
        (404, "{}", "does not know owner@acme.example"),
        (500, "oops", "answered HTTP 500"),
        (200, "<html>", "did not answer JSON"),
        (200, json.dumps({"name": "x"}), 'answered without "last_login"'),
        (200, json.dumps({"last_login": "yesterday"}), "is not a date"),
        (200, json.dumps({"last_login": None, "pad": "x" * 70_000}), "more than 64 KB"),
    ],
)
def test_last_login_answers_and_failures(httpserver, status, body, message):
    httpserver.expect_request("/u").respond_with_data(body, status=status)
    url = httpserver.url_for("/u") + "?email={user_email}"
    if message is None:
        assert fetch_last_login(url, "owner@acme.example").at is None
        return
    with pytest.raises(ProbeError, match=message):
        fetch_last_login(url, "owner@acme.example")


def test_an_unreachable_source_is_a_probe_error():
    with pytest.raises(ProbeError, match="could not be reached"):
        fetch_last_login("http://127.0.0.1:9/u?email={user_email}", "a@b.example", timeout=1)
