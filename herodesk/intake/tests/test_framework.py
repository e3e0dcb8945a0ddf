"""The intake framework: accept (store + enqueue, idempotent) and process (outcomes)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from herodesk.intake import base, registry
from herodesk.intake.models import Delivery
from herodesk.lib import channels
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def test_channel(monkeypatch: Any) -> None:
    monkeypatch.setitem(
        channels._REGISTRY,
        "test",
        channels.ChannelSpec(
            "test", "Test", "inbox", handlers="herodesk.intake.tests.fake_adapter"
        ),
    )


def accept(event: str = "ok", key: str = "k1", body: bytes = b"hello") -> tuple[Delivery, bool]:
    return base.accept("test", key, event, {"X-Test": "1"}, body)


def test_accept_stores_the_raw_delivery_and_its_job_together() -> None:
    delivery, created = accept(body=b"\x00raw \xff bytes")
    assert created and delivery.status == "accepted"
    stored = Delivery.objects.get()
    assert bytes(stored.body) == b"\x00raw \xff bytes" and stored.headers == {"X-Test": "1"}
    job = DBTaskResult.objects.get()
    assert job.args_kwargs["args"] == [delivery.pk]


def test_accept_twice_with_one_key_returns_the_first_and_writes_nothing() -> None:
    first, _ = accept()
    with CaptureQueriesContext(connection) as queries:
        again, created = accept(body=b"different body, same key")
    assert again.pk == first.pk and not created
    assert Delivery.objects.count() == 1 and DBTaskResult.objects.count() == 1
    assert not any(q["sql"].lstrip().upper().startswith("UPDATE") for q in queries.captured_queries)


def test_accept_drops_credential_headers() -> None:
    delivery, _ = base.accept(
        "test", "k", "ok", {"Authorization": "Bearer x", "Cookie": "s=1", "User-Agent": "curl"}, b""
    )
    assert delivery.headers == {"User-Agent": "curl"}


def test_a_key_longer_than_the_column_is_hashed_and_still_idempotent() -> None:
    long_key = "x" * 1000
    first, _ = accept(key=long_key)
    again, created = accept(key=long_key)
    assert first.key.startswith("sha256:") and again.pk == first.pk and not created


def test_accept_costs_two_inserts() -> None:
    with CaptureQueriesContext(connection) as queries:
        accept()
    inserts = [
        q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")
    ]
    assert len(inserts) == 2


def test_a_processed_delivery_records_its_ticket() -> None:
    delivery = base.process(accept()[0])
    delivery.refresh_from_db()
    assert delivery.status == "processed" and delivery.ticket is not None
    assert delivery.attempts == 1 and delivery.processed_at is not None


def test_ignored_and_failed_handlers_record_their_reason() -> None:
    ignored = base.process(accept("ignore", "k2")[0])
    failed = base.process(accept("fail", "k3")[0])
    assert (ignored.status, ignored.error) == ("ignored", "nothing to do")
    assert (failed.status, failed.error) == ("failed", "the payload is unusable")


def test_a_crashing_handler_fails_the_delivery_and_leaves_nothing_half_written() -> None:
    delivery = base.process(accept("crash")[0])
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "ZeroDivisionError" in delivery.error
    assert Ticket.objects.count() == 0


def test_the_job_never_raises_on_a_crashing_handler() -> None:
    delivery, _ = accept("crash")
    assert base.process_delivery.call(delivery.pk) == "failed"
    assert base.process_delivery.call(10**9) == "missing"


def test_an_event_type_without_a_handler_is_ignored() -> None:
    delivery = base.process(accept("mystery")[0])
    assert delivery.status == "ignored" and "'mystery'" in delivery.error


def test_an_unknown_channel_fails_with_a_clear_error() -> None:
    delivery, _ = base.accept("nosuch", "k", "x", {}, b"")
    assert base.process(delivery).status == "failed"
    assert "unknown intake channel 'nosuch'" in Delivery.objects.get().error


def test_every_registered_adapter_and_hook_loads() -> None:
    for channel in registry.adapter_names():
        assert registry.handlers(channel)
    for name in registry.webhook_names():
        assert registry.hook(name).channel == name


def test_intake_list_shows_failures_and_replay_reprocesses() -> None:
    failed = base.process(accept("fail", "k9")[0])
    out = StringIO()
    call_command("intake", "list", "--status", "failed", stdout=out)
    assert "the payload is unusable" in out.getvalue() and str(failed.pk) in out.getvalue()
    Delivery.objects.filter(pk=failed.pk).update(event_type="ok")
    out = StringIO()
    call_command("intake", "replay", str(failed.pk), stdout=out)
    replayed = Delivery.objects.get(pk=failed.pk)
    assert replayed.status == "processed" and replayed.attempts == 2 and replayed.error == ""


def test_intake_replay_of_a_missing_id_says_so() -> None:
    with pytest.raises(CommandError, match="no delivery with ID 424242"):
        call_command("intake", "replay", "424242")


def test_intake_replay_reports_deliveries_that_fail_again() -> None:
    failed = base.process(accept("fail", "k10")[0])
    with pytest.raises(CommandError, match="1 of 1 replayed deliveries failed"):
        call_command("intake", "replay", "--failed", stdout=StringIO())
    assert Delivery.objects.get(pk=failed.pk).attempts == 2
