"""The outbox: write a delivery in the caller's transaction, send it from a job.

- `enqueue()` writes a `Delivery` (unique `key`: enqueueing twice is a no-op)
  and the job that sends it, in the same transaction as the change.
- `claim()` takes due rows for one sender: a conditional UPDATE (and
  `SKIP LOCKED` on PostgreSQL), so two workers never take the same row.
- A claim is a lease: a worker killed mid-send leaves a row that another
  worker takes again once the lease runs out, so nothing is lost.
- Failures retry with exponential backoff up to HERODESK_DELIVERY_MAX_ATTEMPTS
  (then `failed`, visible in `herodesk jobs` and the admin); Slack's 429
  Retry-After holds back every pending Slack delivery until it has passed.
"""

from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from herodesk.lib import runtime
from herodesk.lib.errors import Conflict
from herodesk.notify import transports
from herodesk.notify.errors import Permanent, RateLimited, RetryLater
from herodesk.notify.models import Delivery, DeliveryStatus, Transport

log = logging.getLogger(__name__)
MAX_ERROR = 2000


def enqueue(
    *,
    key: str,
    transport: str,
    kind: str,
    recipient: str,
    payload: dict[str, Any],
    ticket: Any = None,
    team: Any = None,
    send_at: datetime | None = None,
    now: datetime | None = None,
) -> Delivery | None:
    """Write one delivery and its job; None when `key` was enqueued before."""
    now = now or timezone.now()
    due = max(send_at or now, now)
    key = key[:200]
    if Delivery.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                key=key,
                transport=transport,
                kind=kind,
                recipient=recipient[:300],
                payload=payload,
                ticket=ticket,
                team=team,
                created_at=now,
                next_attempt_at=due,
            )
    except IntegrityError:  # a concurrent transaction wrote the same key first
        return None
    schedule_job(delivery.pk, due, now)
    return delivery


def replace_payload(row: Delivery, payload: dict[str, Any], recipient: str) -> Delivery:
    """A queued row carries more (replies combined into one email before it leaves)."""
    row.payload, row.recipient = payload, recipient[:300]
    row.save(update_fields=["payload", "recipient"])
    return row


def schedule_job(delivery_id: int, due: datetime, now: datetime | None = None) -> None:
    """Enqueue the job that sends a delivery (at `due`), in the current transaction."""
    now = now or timezone.now()
    job = deliver_job.using(run_after=due) if due > now else deliver_job
    job.enqueue(delivery_id)


def _claimable(now: datetime) -> Q:
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, lease_until__lt=now
    )


def claim(
    now: datetime,
    *,
    token: str,
    pk: int | None = None,
    limit: int = 50,
    transport: str | None = None,
) -> list[Delivery]:
    """Take up to `limit` due deliveries (or just `pk`) for the sender `token`."""
    lease = now + timedelta(seconds=settings.HERODESK_DELIVERY_LEASE_SECONDS)
    take = {
        "status": DeliveryStatus.SENDING,
        "lease_until": lease,
        "claimed_by": token,
        "attempts": F("attempts") + 1,
    }
    if pk is not None:  # one conditional UPDATE is the whole claim
        if not Delivery.objects.filter(_claimable(now), pk=pk).update(**take):
            return []
        return list(Delivery.objects.filter(pk=pk, claimed_by=token))
    with transaction.atomic():
        qs = Delivery.objects.filter(_claimable(now))
        if transport is not None:
            qs = qs.filter(transport=transport)
        ids = list(
            qs.order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).filter(_claimable(now)).update(**take)
    rows = Delivery.objects.filter(pk__in=ids, claimed_by=token, status=DeliveryStatus.SENDING)
    return list(rows.order_by("next_attempt_at", "id"))


def backoff(attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: doubling from the base, capped, +0–10% jitter."""
    base = settings.HERODESK_DELIVERY_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    capped = min(base, settings.HERODESK_DELIVERY_RETRY_MAX_SECONDS)
    return float(capped) * (1 + random.random() * 0.1)


def _mine(d: Delivery) -> Any:
    return Delivery.objects.filter(pk=d.pk, claimed_by=d.claimed_by, status=DeliveryStatus.SENDING)


def renew(d: Delivery, now: datetime) -> bool:
    """Re-check the claim just before sending and extend its lease.

    A batch can outlive its lease (a slow SMTP server, a paused process);
    another worker may then have taken the row and sent it. One conditional
    UPDATE: False when the row is no longer ours (skip it), else the lease
    runs from now again, so nobody takes it while we send."""
    lease = now + timedelta(seconds=settings.HERODESK_DELIVERY_LEASE_SECONDS)
    return bool(_mine(d).update(lease_until=lease))


def mark_sent(d: Delivery, now: datetime, result: dict[str, Any]) -> None:
    _mine(d).update(
        status=DeliveryStatus.SENT, sent_at=now, lease_until=None, last_error="", result=result
    )
    stamp_messages(d, result)


def mark_failed(d: Delivery, now: datetime, error: str) -> None:
    _mine(d).update(status=DeliveryStatus.FAILED, lease_until=None, last_error=error[:MAX_ERROR])


@transaction.atomic
def mark_retry(d: Delivery, now: datetime, exc: RetryLater) -> str:
    """Put a delivery back for later; `failed` once attempts are used up."""
    limited = isinstance(exc, RateLimited)
    if not limited and d.attempts >= settings.HERODESK_DELIVERY_MAX_ATTEMPTS:
        mark_failed(d, now, f"gave up after {d.attempts} attempts: {exc}")
        return "failed"
    wait = exc.after if exc.after is not None else backoff(d.attempts)
    due = now + timedelta(seconds=max(wait, 0.0))
    updated = _mine(d).update(
        status=DeliveryStatus.PENDING,
        lease_until=None,
        next_attempt_at=due,
        last_error=str(exc)[:MAX_ERROR],
        # Waiting because we were asked to is not a failed attempt.
        attempts=F("attempts") - 1 if limited else F("attempts"),
    )
    if limited and d.transport == Transport.SLACK:
        Delivery.objects.filter(
            transport=Transport.SLACK, status=DeliveryStatus.PENDING, next_attempt_at__lt=due
        ).update(next_attempt_at=due)
    if updated:
        schedule_job(d.pk, due, now)
    return "rate_limited" if limited else "retrying"


def stamp_messages(d: Delivery, result: dict[str, Any]) -> None:
    """Record the channel id (Slack ts) of the desk messages a delivery carried,
    so replies and echoes of them thread onto the ticket."""
    ids = d.payload.get("messages") or []
    external = result.get("external_id")
    if ids and external:
        # lazy: the ticket actions load when a delivery is made, not at every
        # start-up (the invitation receiver imports this module in ready()).
        from herodesk.tickets import actions as ticket_actions

        ticket_actions.messages_set_external_id(ids, str(external))


@dataclass
class Outcome:
    sent: int = 0
    retrying: int = 0
    rate_limited: int = 0
    failed: int = 0
    lost: int = 0  # taken over by another sender after our lease ran out: not sent again
    errors: list[str] = field(default_factory=list)

    def add(self, what: str, error: str = "") -> None:
        setattr(self, what, getattr(self, what) + 1)
        if error and len(self.errors) < 10:
            self.errors.append(error)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "retrying": self.retrying,
            "rate_limited": self.rate_limited,
            "failed": self.failed,
            **({"lost": self.lost} if self.lost else {}),
            "errors": self.errors,
        }


def process(rows: list[Delivery], now: datetime | None = None) -> Outcome:
    """Send claimed deliveries (one SMTP connection and one Slack client for all)."""
    outcome = Outcome()
    with transports.Senders() as senders:
        for d in rows:
            if not renew(d, now or timezone.now()):
                log.info("delivery %s was taken over by another sender: not sent again", d.pk)
                outcome.add("lost")
                continue
            try:
                result = senders.send(d)
            except Permanent as exc:
                mark_failed(d, now or timezone.now(), str(exc))
                outcome.add("failed", f"#{d.pk}: {exc}")
            except RetryLater as exc:
                what = mark_retry(d, now or timezone.now(), exc)
                outcome.add(what, f"#{d.pk}: {exc}")
            except Exception as exc:  # a bug or an unexpected answer: retry, keep the error
                log.exception("delivery %s (%s) failed unexpectedly", d.pk, d.kind)
                what = mark_retry(
                    d, now or timezone.now(), RetryLater(f"{type(exc).__name__}: {exc}")
                )
                outcome.add(what, f"#{d.pk}: {type(exc).__name__}: {exc}")
            else:
                mark_sent(d, now or timezone.now(), result)
                outcome.add("sent")
    return outcome


def new_token() -> str:
    return f"{runtime.worker_id()[:40]}:{uuid.uuid4().hex[:16]}"


def deliver(pk: int, now: datetime | None = None) -> dict[str, Any]:
    """Send one delivery if it is due and nobody else holds it."""
    now = now or timezone.now()
    rows = claim(now, token=new_token(), pk=pk, limit=1)
    if rows:
        return process(rows, now).as_dict()
    row = Delivery.objects.filter(pk=pk).only("status", "lease_until").first()
    if row is None:
        return {"skipped": "missing"}
    if row.status == DeliveryStatus.SENDING and row.lease_until and row.lease_until > now:
        # Held by another sender (maybe one that died): look again when its lease ends.
        schedule_job(pk, row.lease_until, now)
    return {"skipped": row.status}


@task()
def deliver_job(delivery_id: int) -> dict[str, Any]:
    """The job: send one outbox row (a no-op when it was sent or another worker holds it)."""
    return deliver(delivery_id)


def drain(now: datetime | None = None, *, batch: int = 50, limit: int = 500) -> dict[str, Any]:
    """Send every due delivery (up to `limit`), batch by batch."""
    total = Outcome()
    done = 0
    while done < limit:
        rows = claim(now or timezone.now(), token=new_token(), limit=min(batch, limit - done))
        if not rows:
            break
        part = process(rows, now)
        for name in ("sent", "retrying", "rate_limited", "failed", "lost"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
        total.errors = (total.errors + part.errors)[:10]
        done += len(rows)
    return total.as_dict()


@transaction.atomic
def retry_now(pk: int, now: datetime | None = None) -> Delivery:
    """Operator's retry of a failed (or waiting) delivery: due now, attempts reset."""
    now = now or timezone.now()
    d = Delivery.objects.select_for_update().get(pk=pk)
    if d.status in (DeliveryStatus.SENT, DeliveryStatus.SENDING):
        raise Conflict(f"delivery {pk} is {d.status}; only pending or failed ones can be retried")
    d.status, d.attempts, d.next_attempt_at, d.lease_until = DeliveryStatus.PENDING, 0, now, None
    d.save(update_fields=["status", "attempts", "next_attempt_at", "lease_until"])
    schedule_job(d.pk, now, now)
    return d


def cancel(qs: Any) -> int:
    """Cancel deliveries that have not been sent yet (e.g. superseded notices)."""
    return int(qs.filter(status=DeliveryStatus.PENDING).update(status=DeliveryStatus.CANCELLED))
