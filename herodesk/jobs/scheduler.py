"""Recurring jobs, worker heartbeats and recovery of jobs whose worker died.

`herodesk worker` runs `Scheduler` in a thread next to the task loop. Every
tick (HERODESK_SCHEDULER_TICK_SECONDS) it

1. records the worker's heartbeat (WorkerBeat);
2. puts RUNNING jobs of dead workers back to READY: a worker whose beat is
   older than HERODESK_WORKER_STALE_SECONDS (killed with SIGKILL, machine
   gone), or, for workers that never beat (a plain `db_worker`), jobs running
   longer than HERODESK_JOB_TIMEOUT_SECONDS. Jobs are written to be re-run;
3. enqueues each recurring job whose slot (epoch // interval) is due. The slot
   is claimed by inserting a unique JobRun row in the transaction that
   enqueues the job, so with any number of workers each slot runs once. A
   job whose previous run has not finished is not enqueued again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from herodesk.notify import follow_ups, handoff, outbox, watch
from herodesk.notify.models import Delivery, DeliveryStatus, JobRun, WorkerBeat

log = logging.getLogger(__name__)
READY, RUNNING, SUCCESSFUL = "READY", "RUNNING", "SUCCESSFUL"


def _sweep(now: datetime) -> Any:
    return outbox.drain()


def prune(now: datetime) -> dict[str, int]:
    """Forget finished jobs, old slots and sent mail after the retention period."""
    keep = now - timedelta(days=settings.HERODESK_JOB_RETENTION_DAYS)
    tasks, _ = DBTaskResult.objects.filter(status=SUCCESSFUL, finished_at__lt=keep).delete()
    runs, _ = JobRun.objects.filter(claimed_at__lt=keep).delete()
    beats, _ = WorkerBeat.objects.filter(last_seen__lt=keep).delete()
    sent, _ = Delivery.objects.filter(
        status__in=(DeliveryStatus.SENT, DeliveryStatus.CANCELLED),
        created_at__lt=now - timedelta(days=max(settings.HERODESK_JOB_RETENTION_DAYS, 30)),
    ).delete()
    return {"tasks": tasks, "job_runs": runs, "worker_beats": beats, "deliveries": sent}


@dataclass(frozen=True)
class Recurring:
    name: str
    every: int  # seconds
    func: Callable[[datetime], Any]
    about: str


RECURRING: tuple[Recurring, ...] = (
    Recurring("outbox.sweep", 30, _sweep, "send deliveries nobody picked up (retries, leases)"),
    Recurring("sla.warnings", 60, watch.sla_warnings, "warn before response targets are missed"),
    Recurring("sla.breaches", 60, watch.sla_breaches, "record and announce breaches"),
    Recurring(
        "rotations.handoffs",
        60,
        handoff.run,
        "hand-off reports, shift-start notices, day-before reminders",
    ),
    Recurring(
        "tickets.pending_reminders",
        900,
        watch.pending_reminders,
        "remind assignees of pending tickets gone quiet",
    ),
    Recurring(
        "tickets.follow_ups",
        300,
        follow_ups.due,
        "remind whoever said 'looking into it' once the follow-up is due",
    ),
    Recurring("tickets.close_solved", 3600, watch.close_solved, "solved → closed after N days"),
    Recurring("jobs.prune", 86400, prune, "forget finished jobs and old sent mail"),
)
BY_NAME = {job.name: job for job in RECURRING}


def run(name: str, now: datetime | None = None) -> Any:
    job = BY_NAME.get(name)
    if job is None:
        raise ValueError(f"unknown recurring job {name!r}")
    return job.func(now or timezone.now())


@task()
def run_recurring(name: str) -> Any:
    """One run of a recurring job (see RECURRING); safe to run twice (idempotent writes)."""
    return run(name)


def beat(worker_id: str, started_at: datetime, now: datetime) -> None:
    if not WorkerBeat.objects.filter(worker_id=worker_id).update(last_seen=now):
        WorkerBeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": started_at,
                "last_seen": now,
            },
        )


def recover_stale(now: datetime) -> list[str]:
    """RUNNING jobs whose worker is gone → READY again. Returns their ids."""
    stale_before = now - timedelta(seconds=settings.HERODESK_WORKER_STALE_SECONDS)
    timeout_before = now - timedelta(seconds=settings.HERODESK_JOB_TIMEOUT_SECONDS)
    beats = dict(WorkerBeat.objects.values_list("worker_id", "last_seen"))
    recovered: list[str] = []
    running = DBTaskResult.objects.filter(status=RUNNING).only("id", "worker_ids", "started_at")
    for job in running:
        last = job.worker_ids[-1] if job.worker_ids else ""
        seen = beats.get(last)
        if seen is not None:
            dead = seen < stale_before
        else:
            dead = job.started_at is not None and job.started_at < timeout_before
        if dead and DBTaskResult.objects.filter(pk=job.pk, status=RUNNING).update(status=READY):
            log.warning(
                "job %s was running on worker %s, which is gone: queued again", job.pk, last or "?"
            )
            recovered.append(str(job.pk))
    return recovered


def _busy(name: str) -> bool:
    """The previous run of `name` is still queued or running."""
    last = JobRun.objects.filter(name=name).order_by("-slot").values_list("task_id", flat=True)
    task_id = last.first()
    if not task_id:
        return False
    return DBTaskResult.objects.filter(pk=task_id, status__in=(READY, RUNNING)).exists()


def enqueue_due(worker_id: str, now: datetime, seen: dict[str, int] | None = None) -> list[str]:
    """Claim and enqueue every recurring job whose slot is due; returns their names."""
    seen = {} if seen is None else seen
    enqueued = []
    for job in RECURRING:
        slot = int(now.timestamp()) // job.every
        if seen.get(job.name) == slot:
            continue
        seen[job.name] = slot
        if JobRun.objects.filter(name=job.name, slot=slot).exists() or _busy(job.name):
            continue
        try:
            with transaction.atomic():
                claimed = JobRun.objects.create(
                    name=job.name, slot=slot, claimed_at=now, worker_id=worker_id[:64]
                )
                result = run_recurring.enqueue(job.name)
                claimed.task_id = str(result.id)
                claimed.save(update_fields=["task_id"])
        except IntegrityError:  # another worker claimed this slot
            continue
        enqueued.append(job.name)
    return enqueued


class Scheduler(threading.Thread):
    """The worker's companion thread: heartbeat, recovery, recurring jobs."""

    def __init__(self, worker_id: str, *, recurring: bool = True) -> None:
        super().__init__(name="herodesk-scheduler", daemon=True)
        self.worker_id = worker_id
        self.recurring = recurring
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.seen: dict[str, int] = {}

    def tick(self, now: datetime | None = None) -> list[str]:
        now = now or timezone.now()
        beat(self.worker_id, self.started_at, now)
        recover_stale(now)
        return enqueue_due(self.worker_id, now, self.seen) if self.recurring else []

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.tick()
            except Exception:
                log.exception("scheduler tick failed; trying again next tick")
            finally:
                close_old_connections()
            self.stopping.wait(settings.HERODESK_SCHEDULER_TICK_SECONDS)

    def stop(self) -> None:
        """Stop ticking; hand back our RUNNING jobs (a forced exit) and say goodbye."""
        self.stopping.set()
        if self.is_alive():
            self.join(timeout=30)
        try:
            for job in DBTaskResult.objects.filter(status=RUNNING).only("id", "worker_ids"):
                if job.worker_ids and job.worker_ids[-1] == self.worker_id:
                    DBTaskResult.objects.filter(pk=job.pk, status=RUNNING).update(status=READY)
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:  # the others recover our jobs once our beat is stale
            log.exception("could not sign off worker %s cleanly", self.worker_id)
