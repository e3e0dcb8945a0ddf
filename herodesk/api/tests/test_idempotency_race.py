"""Two retries with one `Idempotency-Key` at the same moment (a client that
timed out and retried while the first request was still running): one ticket,
and both callers get the same answer. On PostgreSQL both requests are inside
their transactions at once and the second waits on the key's unique index,
then replays the first's stored answer."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from herodesk.api import idempotency
from herodesk.teams.actions import token_issue
from herodesk.tickets.models import Ticket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite's test database is shared memory, where two writing threads hit table "
        "locks; on a file the writer lock queues the retry behind the first request, which "
        "test_idempotency.py's sequential retry covers",
    ),
]
KEY = "5f0c8e1a-race-4b7d-9e2f-idempotency01"
TICKET = {"subject": "Export stuck", "body": "The CSV export never finishes.", "team": "pipeline"}


def test_concurrent_retries_with_one_key_create_one_ticket(hero, team, monkeypatch):
    token = token_issue(hero)[1]
    both_inside = threading.Barrier(2)
    met: list[bool] = []
    original_prune = idempotency.prune

    def prune_then_wait(now: Any = None) -> int:
        # Runs inside the create's transaction, after the key lookup found nothing:
        # the two requests meet here, so both go on to insert the key.
        try:
            both_inside.wait(timeout=1.5)
            met.append(True)
        except threading.BrokenBarrierError:
            pass
        return original_prune(now)

    monkeypatch.setattr(idempotency, "prune", prune_then_wait)
    answers: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def send() -> None:
        try:
            start.wait()
            answers.append(
                Client().post(
                    "/api/v1/tickets",
                    data=json.dumps(TICKET),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}",
                    HTTP_IDEMPOTENCY_KEY=KEY,
                )
            )
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert [a.status_code for a in answers] == [201, 201], [a.content for a in answers]
    assert answers[0].json() == answers[1].json()
    assert sorted(a.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert Ticket.objects.count() == 1
    assert len(met) == 2, "both requests should have been inside their transactions at once"
