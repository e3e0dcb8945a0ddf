"""Helpers for the desk's view and browser tests."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

# Playwright's sync API runs an event loop in the test thread; Django refuses
# ORM calls from such a thread unless told it is fine (the live server runs
# in its own thread either way).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def make_ticket(
    team: Any,
    requester: Any = None,
    *,
    subject: str = "Events are delayed",
    body: str = "Our events are two hours late since this morning.",
    channel: str = "email",
    tier: int | None = None,
    created_at: datetime | None = None,
    assignee: Any = None,
    metadata: dict[str, Any] | None = None,
) -> Any:
    from herodesk.tickets import actions

    return actions.ticket_create(
        subject=subject,
        body=body,
        actor="test",
        channel=channel,
        team=team,
        requester=requester,
        tier=tier,
        created_at=created_at or timezone.now(),
        assignee=assignee,
        metadata=metadata,
    )


@pytest.fixture
def ticket_factory(team: Any, paying_requester: Any) -> Any:
    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("requester", paying_requester)
        return make_ticket(kwargs.pop("team", team), **kwargs)

    return make


@pytest.fixture
def login() -> Any:
    def as_user(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return as_user


def ago(**kwargs: Any) -> datetime:
    return timezone.now() - timedelta(**kwargs)
