"""Reads for `herodesk jobs`: queued/running/failed jobs, workers, recurring runs."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from herodesk.jobs.scheduler import RECURRING
from herodesk.notify.models import JobRun, WorkerBeat


def task_counts() -> dict[str, int]:
    rows = DBTaskResult.objects.values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def failed_tasks(limit: int = 20) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status="FAILED").order_by("-finished_at")[:limit])


def running_tasks(limit: int = 50) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status="RUNNING").order_by("started_at")[:limit])


def workers(now: datetime | None = None) -> list[tuple[WorkerBeat, bool]]:
    """Known workers and whether each is alive (beat within the stale limit)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.HERODESK_WORKER_STALE_SECONDS)
    return [(b, b.last_seen >= stale) for b in WorkerBeat.objects.order_by("-last_seen")[:50]]


def last_runs() -> dict[str, JobRun]:
    """The latest claimed slot of each recurring job."""
    out: dict[str, JobRun] = {}
    for job in RECURRING:
        run = JobRun.objects.filter(name=job.name).order_by("-slot").first()
        if run is not None:
            out[job.name] = run
    return out
