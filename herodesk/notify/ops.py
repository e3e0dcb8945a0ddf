"""Operator actions on jobs: retry a failed delivery or a failed job."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django_tasks_db.models import DBTaskResult

from herodesk.audit.log import record
from herodesk.lib.errors import Conflict, Invalid, NotFound
from herodesk.notify import outbox
from herodesk.notify.models import Delivery


def retry(ref: str, actor: Any) -> str:
    """Retry delivery `ref` (a number) or job `ref` (a UUID); returns what was done."""
    ref = ref.strip()
    if ref.isdigit():
        return retry_delivery(int(ref), actor)
    try:
        job_id = uuid.UUID(ref)
    except ValueError:
        raise Invalid(
            f"{ref!r} is neither a delivery number nor a job id (UUID)", field="id"
        ) from None
    return retry_task(str(job_id), actor)


@transaction.atomic
def retry_delivery(pk: int, actor: Any) -> str:
    if not Delivery.objects.filter(pk=pk).exists():
        raise NotFound(f"delivery {pk} not found")
    d = outbox.retry_now(pk)
    record(actor, "delivery.retried", d, after={"status": d.status, "key": d.key})
    return f"delivery {pk} ({d.kind} → {d.recipient}) queued again"


@transaction.atomic
def retry_task(job_id: str, actor: Any) -> str:
    job = DBTaskResult.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"job {job_id} not found")
    if job.status != "FAILED":
        raise Conflict(f"job {job_id} is {job.status}; only failed jobs can be retried")
    job.status, job.finished_at = "READY", None
    job.exception_class_path, job.traceback = "", ""
    job.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
    record(actor, "job.retried", job, after={"task": job.task_path})
    return f"job {job_id} ({job.task_path}) queued again"
