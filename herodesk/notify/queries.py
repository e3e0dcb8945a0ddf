"""Reads: hand-off reports, and what `herodesk jobs` shows."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from herodesk.errors import Invalid, NotFound
from herodesk.notify.models import Delivery, DeliveryStatus, HandoffReport, JobRun, WorkerBeat

MAX_LIMIT = 100


def handoffs(team: Any, *, limit: int = 20, before: int | None = None) -> list[HandoffReport]:
    """A team's hand-off reports, newest first (keyset on id via `before`)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    qs = HandoffReport.objects.filter(team=team).select_related("outgoing", "incoming")
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return list(qs.order_by("-instant", "-id")[:limit])


def handoff(team: Any, report_id: int) -> HandoffReport:
    report = (
        HandoffReport.objects.select_related("team", "outgoing", "incoming")
        .filter(team=team, pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound(f"hand-off report {report_id} of {team.name} not found")
    return report


def attention(limit: int = 50) -> QuerySet[Delivery]:
    """Deliveries that failed or are waiting to retry, newest activity first."""
    return Delivery.objects.filter(
        Q(status=DeliveryStatus.FAILED)
        | Q(status=DeliveryStatus.PENDING, attempts__gt=0)
        | Q(status=DeliveryStatus.SENDING)
    ).order_by("-next_attempt_at", "-id")[:limit]


def delivery_counts() -> dict[str, int]:
    rows = Delivery.objects.values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


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
    from herodesk.notify.scheduler import RECURRING

    for job in RECURRING:
        run = JobRun.objects.filter(name=job.name).order_by("-slot").first()
        if run is not None:
            out[job.name] = run
    return out
