"""`herodesk worker`: run background jobs (django-tasks-db) and the recurring
scheduler. Start as many as you like against one database: jobs are claimed
with SELECT … FOR UPDATE SKIP LOCKED (PostgreSQL) or an exclusive transaction
(SQLite), recurring slots with a unique row, and a worker that dies
(even with SIGKILL) has its running jobs queued again by the others."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.crypto import get_random_string

from herodesk.jobs.scheduler import Scheduler
from herodesk.jobs.worker import BatchWorker
from herodesk.lib import runtime


def keep_sqlite_connections() -> None:
    """The worker closes its connection after every job (Django's request
    habit); on SQLite each close of the last connection checkpoints the WAL,
    which costs more than the job. A worker is one long-lived process: keep
    its SQLite connections open (PostgreSQL keeps CONN_MAX_AGE)."""
    for conn in connections.all():
        if conn.vendor == "sqlite":
            conn.settings_dict["CONN_MAX_AGE"] = None


class Command(BaseCommand):
    help = "Run background jobs and the recurring scheduler (see docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds to wait when the queue is empty (default 1)",
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="exit after running this many jobs"
        )
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued, then exit (no recurring jobs)"
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="run jobs only; never enqueue recurring jobs",
        )
        parser.add_argument(
            "--queue-name", default="*", help="comma-separated queues to serve (default: all)"
        )
        parser.add_argument(
            "--worker-id", default="", help="unique id of this worker (default: random)"
        )

    def _configure_logging(self, verbosity: int) -> None:
        """-v0: warnings only; -v1 (default): the levels from settings
        (HERODESK_JOB_LOG_LEVEL for job start/finish lines); -v2+: every job."""
        if verbosity == 1:
            return
        level = logging.WARNING if verbosity == 0 else logging.INFO
        for name in ("django_tasks", "django.tasks", "django_tasks_db", "herodesk"):
            logging.getLogger(name).setLevel(level)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] < 0:
            raise CommandError("--interval must be zero or more")
        if options["max_tasks"] is not None and options["max_tasks"] < 1:
            raise CommandError("--max-tasks must be at least 1")
        worker_id = options["worker_id"] or get_random_string(32)
        if len(worker_id) > 64:
            raise CommandError("--worker-id must be at most 64 characters")
        self._configure_logging(options["verbosity"])
        keep_sqlite_connections()
        runtime.set_worker_id(worker_id)
        worker = BatchWorker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        scheduler = Scheduler(
            worker_id, recurring=not (options["batch"] or options["no_scheduler"])
        )
        scheduler.tick()  # beat and recover before taking the first job
        scheduler.start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            scheduler.stop()
