"""R8: a batch that outlives its lease is re-checked before each send, so a
delivery another worker took over is never sent twice (both databases)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from herodesk.notify import outbox
from herodesk.notify.models import Delivery, DeliveryStatus, Transport

pytestmark = pytest.mark.django_db


def three_mails() -> None:
    for i in range(3):
        outbox.enqueue(
            key=f"lease:{i}",
            transport=Transport.EMAIL,
            kind="test",
            recipient=f"r{i}@x.example",
            payload={
                "to": [f"r{i}@x.example"],
                "subject": f"mail {i}",
                "text": "hello",
                "headers": {"Message-ID": f"<lease.{i}@herodesk.localhost>"},
            },
        )


def test_a_batch_that_outlived_its_lease_sends_nothing_twice(smtp, settings):
    three_mails()
    now = timezone.now()
    slow = outbox.claim(now, token="worker-a:1")  # worker A takes the batch, then stalls
    assert len(slow) == 3
    after_lease = now + timedelta(seconds=settings.HERODESK_DELIVERY_LEASE_SECONDS + 1)
    taken = outbox.claim(after_lease, token="worker-b:1")  # B takes the expired rows
    assert len(taken) == 3
    assert outbox.process(taken, after_lease).sent == 3
    late = outbox.process(slow, after_lease + timedelta(seconds=1))  # A wakes up
    assert late.sent == 0 and late.lost == 3
    assert len(smtp.inbox.messages) == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_batch_whose_rows_were_taken_mid_way_sends_only_what_it_still_holds(smtp, settings):
    three_mails()
    now = timezone.now()
    batch = outbox.claim(now, token="worker-a:1")
    # Row 2's lease runs out (say A spent long on row 1) and worker B takes it.
    Delivery.objects.filter(pk=batch[2].pk).update(lease_until=now - timedelta(seconds=1))
    [stolen] = outbox.claim(now, token="worker-b:1")
    assert stolen.pk == batch[2].pk
    assert outbox.process(batch, now).sent == 2
    assert outbox.process([stolen], now).sent == 1
    assert len(smtp.inbox.messages) == 3
