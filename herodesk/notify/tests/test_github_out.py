"""GitHub comments out, against a local stand-in for GitHub's REST API."""

from __future__ import annotations

import json
from typing import Any

import pytest

from herodesk.notify import github
from herodesk.notify.errors import Permanent, RateLimited, RetryLater

TOKEN = "ghp_test_token"


@pytest.fixture
def github_api(settings: Any, httpserver: Any) -> Any:
    settings.HERODESK_GITHUB_TOKEN = TOKEN
    settings.HERODESK_GITHUB_API_URL = httpserver.url_for("/")
    return httpserver


def test_a_comment_is_posted_with_the_token_and_its_id_returned(github_api):
    github_api.expect_request("/repos/acme/app/issues/7/comments", method="POST").respond_with_json(
        {"id": 991, "html_url": "https://github.com/acme/app/issues/7#issuecomment-991"},
        status=201,
    )
    result = github.post_comment("acme/app", 7, "Fixed in 2.4.1.")
    assert result == {
        "comment_id": 991,
        "url": "https://github.com/acme/app/issues/7#issuecomment-991",
        "external_id": "comment:991",
    }
    [(request, _)] = github_api.log
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["X-GitHub-Api-Version"] == github.API_VERSION
    assert json.loads(request.get_data()) == {"body": "Fixed in 2.4.1."}


@pytest.mark.parametrize(
    ("status", "headers", "error", "words"),
    [
        (404, {}, Permanent, "404"),
        (401, {}, Permanent, "HERODESK_GITHUB_TOKEN"),
        (422, {}, Permanent, "locked"),
        (502, {}, RetryLater, "502"),
        (429, {"Retry-After": "30"}, RateLimited, "rate limit"),
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1"}, RateLimited, "rate limit"),
    ],
)
def test_failures_map_to_what_the_outbox_does_with_them(github_api, status, headers, error, words):
    github_api.expect_request("/repos/acme/app/issues/7/comments").respond_with_json(
        {"message": "Issue is locked" if status == 422 else "nope"}, status=status, headers=headers
    )
    with pytest.raises(error) as raised:
        github.post_comment("acme/app", 7, "hello")
    assert words.lower() in str(raised.value).lower()
    if status == 429:
        assert raised.value.after == 30


def test_no_token_or_an_unreachable_api_are_told_apart(settings):
    settings.HERODESK_GITHUB_TOKEN = ""
    with pytest.raises(Permanent, match="HERODESK_GITHUB_TOKEN"):
        github.post_comment("acme/app", 7, "hello")
    settings.HERODESK_GITHUB_TOKEN = TOKEN
    settings.HERODESK_GITHUB_API_URL = "http://127.0.0.1:9"  # nothing listens on discard
    with pytest.raises(RetryLater, match="unreachable"):
        github.post_comment("acme/app", 7, "hello")
    settings.HERODESK_GITHUB_API_URL = "file:///etc/passwd"
    with pytest.raises(Permanent, match="http"):
        github.post_comment("acme/app", 7, "hello")
