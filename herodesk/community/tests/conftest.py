"""Community test personas: a verified member, a new (unverified) member, a
community moderator, a topic, and API clients for community tokens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from conftest import Api


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    cache.clear()
    yield
    cache.clear()


def make_account(email: str, *, verified: bool = True, role: str = "member", posts: int = 1) -> Any:
    from herodesk.community.models import Account

    account = Account(
        email=email,
        name=email.split("@")[0].capitalize() + " Doe",
        role=role,
        created_at=timezone.now(),
        email_verified_at=timezone.now() if verified else None,
        approved_posts=posts,
    )
    account.set_password("pw-" + email)
    account.save()
    return account


@pytest.fixture
def member(db: Any) -> Any:
    return make_account("mia@example.org")


@pytest.fixture
def newcomer(db: Any) -> Any:
    return make_account("nik@example.org", posts=0)


@pytest.fixture
def unverified(db: Any) -> Any:
    return make_account("uma@example.org", verified=False, posts=0)


@pytest.fixture
def community_mod(db: Any) -> Any:
    return make_account("moe@example.org", role="moderator")


@pytest.fixture
def topic(db: Any) -> Any:
    from herodesk.community.models import Topic

    return Topic.objects.create(
        slug="pipelines", name="Data pipelines", paths=["/docs/data-pipelines/*"],
        slack_channel="#team-pipeline",
    )  # fmt: skip


class CommunityApi(Api):
    def _call(self, method: str, path: str, data: Any = None, raw: str | None = None, **extra: Any):
        url = path if path.startswith("/") else f"/community/api/{path}"
        return super()._call(method, url, data, raw, **extra)


@pytest.fixture
def capi() -> Any:
    """A community API client: capi(account) uses a community token, capi(None) is anonymous."""
    from herodesk.community import actions

    def make(account: Any = None, token: str | None = None) -> CommunityApi:
        if account is not None:
            token = actions.account_token_create(account)
        return CommunityApi(token)

    return make


@pytest.fixture
def site() -> Any:
    """A browser-like client logged in to the community site as an account (or anonymous)."""
    from herodesk.community import session

    def make(account: Any = None) -> Client:
        client = Client()
        if account is not None:
            # Log in through the real form, so the session is the site's own.
            response = client.post(
                "/community/login/", {"email": account.email, "password": "pw-" + account.email}
            )
            assert response.status_code == 302, response.content
            assert client.session.get(session.SESSION_KEY) == account.pk
        return client

    return make


def ask(author_account: Any, page: str = "/docs/feature-flags", **kwargs: Any) -> Any:
    from herodesk.community import actions
    from herodesk.community.authors import Author

    kwargs.setdefault("title", "How do I roll out a flag to 10% of users?")
    kwargs.setdefault("body", "I tried the rollout slider but nothing happens.")
    return actions.question_ask(Author(account=author_account), page=page, **kwargs)


def outbox(kind: str) -> list[Any]:
    from herodesk.notify.models import Delivery

    return list(Delivery.objects.filter(kind=kind).order_by("id"))


def body(response: Any) -> Any:
    return json.loads(response.content)
