"""A channel adapter for the framework's own tests (registered as channel "test")."""

from __future__ import annotations

from typing import Any

from herodesk.intake.base import Failed, Ignored
from herodesk.intake.models import Delivery
from herodesk.lib.channels import ChannelSpec
from herodesk.tickets import actions
from herodesk.tickets.models import Ticket


def _ticket(delivery: Delivery) -> Ticket:
    return actions.ticket_create(
        subject=f"delivery {delivery.pk}",
        body=bytes(delivery.body).decode(),
        actor="test",
        channel="api",
    )


def ok(delivery: Delivery) -> Ticket:
    return _ticket(delivery)


def ignore(delivery: Delivery) -> Any:
    raise Ignored("nothing to do")


def fail(delivery: Delivery) -> Any:
    raise Failed("the payload is unusable")


def crash(delivery: Delivery) -> Any:
    _ticket(delivery)  # written, then rolled back by the crash below
    return 1 / 0


EVENT_HANDLERS = {"ok": ok, "ignore": ignore, "fail": fail, "crash": crash}

FAKE = ChannelSpec("test", "Test", "inbox", handlers="herodesk.intake.tests.fake_adapter")
