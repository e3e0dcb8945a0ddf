"""Issue 16 §4: a webhook answers 415 for a content type its sender never
uses, and stores nothing, even when the body is correctly signed."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.test import Client

from herodesk.intake.tests.support import row_counts

pytestmark = pytest.mark.django_db

# (channel, the module and class of its webhook tests, which know how to sign)
CHANNELS = [
    ("github", "herodesk.intake.github.tests", "TestGitHub"),
    ("slack", "herodesk.intake.slack.tests", "TestSlack"),
    ("sentry", "herodesk.intake.sentry.tests", "TestSentry"),
    ("zendesk", "herodesk.intake.zendesk.tests", "TestZendesk"),
]


def channel_tests(module: str, name: str, settings: Any) -> Any:
    cls = getattr(import_module(module), name)
    tests = cls()
    setattr(settings, cls.setting, "whsec_test_5f0c9a1e7d2b4c68")
    return tests


@pytest.mark.parametrize(("channel", "module", "name"), CHANNELS)
@pytest.mark.parametrize("content_type", ["text/plain", "multipart/form-data; boundary=x"])
def test_a_signed_body_in_another_content_type_is_415_and_stores_nothing(
    settings, channel, module, name, content_type
):
    tests = channel_tests(module, name, settings)
    body, headers = tests.sample()
    signed = tests.sign(body, dict(headers))
    before = row_counts()
    res = Client().post(f"/hooks/{channel}", data=body, content_type=content_type, headers=signed)
    assert res.status_code == 415, (channel, content_type, res.status_code, res.content)
    assert "application/json" in res.json()["detail"]
    assert row_counts() == before


@pytest.mark.parametrize(("channel", "module", "name"), CHANNELS)
def test_json_with_a_charset_is_still_accepted(settings, channel, module, name):
    tests = channel_tests(module, name, settings)
    body, headers = tests.sample()
    res = Client().post(
        f"/hooks/{channel}",
        data=body,
        content_type="application/json; charset=utf-8",
        headers=tests.sign(body, dict(headers)),
    )
    assert res.status_code == 200, res.content
