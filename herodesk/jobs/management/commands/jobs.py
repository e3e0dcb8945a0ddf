"""`herodesk jobs`: workers, queued/running/failed jobs, deliveries waiting to
retry or failed (with their errors), recurring jobs. `herodesk jobs retry ID`
queues a failed delivery (a number) or a failed job (a UUID) again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from herodesk.jobs import queries as jobs_queries
from herodesk.jobs.scheduler import RECURRING
from herodesk.lib.errors import ActionError
from herodesk.notify import ops, queries
from herodesk.notify.models import Delivery, DeliveryStatus


def ago(at: datetime | None, now: datetime) -> str:
    if at is None:
        return "never"
    seconds = int((now - at).total_seconds())
    if seconds < 0:
        return f"in {-seconds}s"
    if seconds < 120:
        return f"{seconds}s ago"
    if seconds < 7200:
        return f"{seconds // 60}m ago"
    return f"{seconds // 3600}h ago"


def one_line(text: str, width: int = 160) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def last_error_line(job: DBTaskResult) -> str:
    lines = [line for line in (job.traceback or "").strip().splitlines() if line.strip()]
    return one_line(lines[-1] if lines else job.exception_class_path)


class Command(BaseCommand):
    help = "Show background jobs and deliveries needing attention; retry failed ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", choices=["list", "retry"], default="list")
        parser.add_argument("id", nargs="?", help="delivery number or job UUID (for retry)")
        parser.add_argument(
            "--failed", action="store_true", help="with retry: every failed delivery"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "retry":
            self.retry(options["id"], options["failed"])
        else:
            self.overview(timezone.now())

    def retry(self, ref: str | None, failed: bool) -> None:
        refs = [ref] if ref else []
        if failed:
            refs += [
                str(pk)
                for pk in Delivery.objects.filter(status=DeliveryStatus.FAILED).values_list(
                    "pk", flat=True
                )
            ]
        if not refs:
            raise CommandError("give a delivery number or job id, or --failed")
        for one in refs:
            try:
                self.stdout.write(ops.retry(one, actor="cli"))
            except ActionError as exc:
                raise CommandError(exc.message) from None

    def overview(self, now: datetime) -> None:
        out = self.stdout.write
        self.workers(now)
        counts = jobs_queries.task_counts()
        out(
            "Jobs: "
            + " · ".join(
                f"{k.lower()} {counts.get(k, 0)}"
                for k in ("READY", "RUNNING", "SUCCESSFUL", "FAILED")
            )
        )
        for job in jobs_queries.running_tasks():
            worker = job.worker_ids[-1][:16] if job.worker_ids else "?"
            out(
                f"  running  {job.pk}  {job.task_path}  since {ago(job.started_at, now)} "
                f"on {worker}"
            )
        for job in jobs_queries.failed_tasks():
            out(
                f"  FAILED   {job.pk}  {job.task_path}  {ago(job.finished_at, now)}: "
                f"{last_error_line(job)}"
            )
        self.deliveries(now)
        out("Recurring jobs")
        runs = jobs_queries.last_runs()
        for recurring in RECURRING:
            run = runs.get(recurring.name)
            last = ago(run.claimed_at if run else None, now)
            out(
                f"  {recurring.name:28} every {recurring.every:>5}s  last {last}"
                f"  — {recurring.about}"
            )

    def workers(self, now: datetime) -> None:
        out = self.stdout.write
        out("Workers")
        workers = jobs_queries.workers(now)
        for beat, alive in workers:
            state = "alive" if alive else "GONE"
            out(
                f"  {beat.worker_id[:16]:16}  {beat.hostname}:{beat.pid}  {state}, "
                f"last seen {ago(beat.last_seen, now)}"
            )
        if not workers:
            out("  none running (start one with `herodesk worker`)")

    def deliveries(self, now: datetime) -> None:
        out = self.stdout.write
        counts = queries.delivery_counts()
        out("Deliveries: " + " · ".join(f"{s} {counts.get(s, 0)}" for s in DeliveryStatus.values))
        for d in queries.attention():
            if d.status == DeliveryStatus.FAILED:
                state = f"FAILED after {d.attempts} attempt(s)"
            elif d.status == DeliveryStatus.SENDING:
                state = (
                    f"sending (lease until {d.lease_until:%H:%M:%S}Z)"
                    if d.lease_until
                    else "sending"
                )
            else:
                state = f"retrying, attempt {d.attempts + 1} {ago(d.next_attempt_at, now)}"
            out(
                f"  #{d.pk}  {d.transport} {d.kind} → {one_line(d.recipient, 60)}  {state}: "
                f"{one_line(d.last_error)}"
            )
