"""The base class every webhook channel's tests inherit (herodesk/intake/<name>/tests.py).

A channel subclass sets `channel`, `setting`, `fixtures` and implements
`sign(body, headers, at)` (the sender's signature headers) and `sample()` /
`unknown()` (a processable delivery and one of an event type we do not
handle). It then inherits the tests every endpoint must pass (forged, stale,
oversize, malformed, unset secret, retry, unknown event) and writes each of its
own cases as one line with `expect(...)`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from herodesk.audit.models import Event
from herodesk.customers.models import Requester
from herodesk.intake import base
from herodesk.intake.models import Delivery
from herodesk.tickets.models import Message, Ticket

SECRET = "whsec_test_5f0c9a1e7d2b4c68"
Sample = tuple[bytes, dict[str, str]]


def row_counts() -> dict[str, int]:
    """How many rows intake could have written, table by table."""
    models: list[Any] = [Delivery, DBTaskResult, Ticket, Message, Requester, Event]
    return {m.__name__: m.objects.count() for m in models}


def as_json(data: Any) -> bytes:
    return json.dumps(data).encode()


@pytest.mark.django_db
class WebhookTests:
    channel: ClassVar[str]
    setting: ClassVar[str]
    fixtures: ClassVar[Path]
    content_type: ClassVar[str] = "application/json"

    # --- what a channel provides -------------------------------------------
    def sign(self, body: bytes, headers: dict[str, str], at: int | None = None) -> dict[str, str]:
        raise NotImplementedError

    def sample(self) -> Sample:
        raise NotImplementedError

    def unknown(self) -> Sample:
        raise NotImplementedError

    # --- helpers --------------------------------------------------------------
    @pytest.fixture(autouse=True)
    def _configure(self, settings: Any, db: Any) -> None:
        setattr(settings, self.setting, SECRET)
        self.settings = settings
        self.client = Client()

    @property
    def url(self) -> str:
        return f"/hooks/{self.channel}"

    def fixture(self, name: str) -> bytes:
        return (self.fixtures / name).read_bytes()

    def post(self, body: bytes, headers: dict[str, str], content_type: str = "") -> Any:
        return self.client.post(
            self.url, data=body, content_type=content_type or self.content_type, headers=headers
        )

    def send(self, body: bytes, headers: dict[str, str] | None = None) -> Any:
        """POST a correctly signed delivery."""
        headers = dict(headers or {})
        return self.post(body, self.sign(body, headers))

    def deliver(self, body: bytes, headers: dict[str, str] | None = None) -> Delivery:
        """Send signed, expect 200, run the job as the worker would; the stored delivery."""
        response = self.send(body, headers)
        assert response.status_code == 200, response.content
        delivery = Delivery.objects.get(pk=response.json()["delivery"])
        base.process(delivery)
        delivery.refresh_from_db()
        return delivery

    def expect(self, sample: Sample, outcome: str = "processed", **ticket_fields: Any) -> Delivery:
        """Deliver one sample; check the delivery's outcome and its ticket's fields."""
        delivery = self.deliver(*sample)
        assert delivery.status == outcome, delivery.error
        if ticket_fields:
            assert delivery.ticket is not None, "no ticket"
            ticket = Ticket.objects.get(pk=delivery.ticket_id)
            for name, value in ticket_fields.items():
                got = ticket.team.slug if name == "team" and ticket.team else getattr(ticket, name)
                assert got == value, f"ticket.{name} is {got!r}, expected {value!r}"
        return delivery

    def rejected(self, response: Any, code: int, before: dict[str, int], words: str) -> None:
        assert response.status_code == code, response.content
        assert words.lower() in response.json()["detail"].lower(), response.json()
        assert row_counts() == before

    # --- what every webhook endpoint must do ----------------------------------
    def test_a_signed_delivery_is_stored_with_its_job_before_the_answer(self) -> None:
        before = row_counts()
        response = self.send(*self.sample())
        assert response.status_code == 200, response.content
        delivery = Delivery.objects.get(pk=response.json()["delivery"])
        assert delivery.channel == self.channel and delivery.status == "accepted"
        assert bytes(delivery.body) == self.sample()[0]
        after = row_counts()
        assert after["Delivery"] == before["Delivery"] + 1
        assert after["DBTaskResult"] == before["DBTaskResult"] + 1
        assert after["Ticket"] == before["Ticket"]  # the job makes the ticket, not the request
        job = DBTaskResult.objects.get()
        assert job.task_path == "herodesk.intake.base.process_delivery"
        assert job.args_kwargs["args"] == [delivery.pk]

    def test_the_enqueued_job_processes_the_delivery_once(self) -> None:
        response = self.send(*self.sample())
        pk = response.json()["delivery"]
        first = base.process_delivery.call(pk)
        assert first in ("processed", "ignored"), Delivery.objects.get(pk=pk).error
        assert base.process_delivery.call(pk) == f"already {first}"
        assert Delivery.objects.get(pk=pk).attempts == 1

    def test_a_forged_signature_is_401_and_writes_nothing(self) -> None:
        body, headers = self.sample()
        signed = self.sign(body, dict(headers))
        before = row_counts()
        self.rejected(self.post(body + b" ", signed), 401, before, "")
        setattr(self.settings, self.setting, "another-secret")
        self.rejected(self.post(body, signed), 401, before, "")

    def test_a_missing_signature_is_401_and_writes_nothing(self) -> None:
        body, headers = self.sample()
        before = row_counts()
        self.rejected(self.post(body, headers), 401, before, "")

    def test_an_unset_secret_is_503_naming_the_setting(self) -> None:
        setattr(self.settings, self.setting, "")
        before = row_counts()
        self.rejected(self.send(*self.sample()), 503, before, self.setting)

    def test_a_body_over_the_size_limit_is_413_and_writes_nothing(self) -> None:
        self.settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
        body = as_json({"padding": "x" * 2048})
        before = row_counts()
        self.rejected(self.send(body, self.sample()[1]), 413, before, "limit")

    def test_a_malformed_body_is_400_and_writes_nothing(self) -> None:
        body = b'{"this is": not json'
        before = row_counts()
        self.rejected(self.send(body, self.sample()[1]), 400, before, "JSON")

    def test_a_retried_delivery_creates_nothing_new(self) -> None:
        first = self.deliver(*self.sample())
        before = row_counts()
        again = self.send(*self.sample())
        assert again.status_code == 200
        assert again.json() == {"delivery": first.pk, "status": first.status, "duplicate": True}
        assert row_counts() == before

    def test_an_unknown_event_type_is_acknowledged_and_recorded_as_ignored(self) -> None:
        delivery = self.deliver(*self.unknown())
        assert delivery.status == "ignored" and delivery.ticket_id is None
        assert delivery.error

    def test_only_post_is_allowed(self) -> None:
        assert self.client.get(self.url).status_code == 405
