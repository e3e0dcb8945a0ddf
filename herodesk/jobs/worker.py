"""The job loop of `herodesk worker`: django-tasks-db's Worker, claiming in batches.

django-tasks-db's worker spends two transactions and three ORM statements on
the bookkeeping of every job (find and lock one READY row, mark it RUNNING,
write its result). For intake that is as much as the job itself: each webhook
delivery is one job of ~2 ms. This loop

* claims up to `batch` READY jobs in one transaction (`FOR UPDATE SKIP
  LOCKED` on PostgreSQL, an exclusive transaction on SQLite), in the queue's
  order (priority, run_after, enqueued_at), marking them RUNNING with this
  worker's id;
* runs them one after another, exactly as django-tasks-db does (same
  signals, same success/failure fields);
* writes their results in one statement per batch.

The batch is sized so that it takes about `BATCH_SECONDS` to run, from the
average duration of recent jobs: a burst of 2 ms intake jobs is claimed 32 at
a time, slow jobs (a mail server that takes seconds) one at a time, so one
worker never sits on work another worker could do.

Crash safety is unchanged: a worker that dies leaves its claimed jobs RUNNING
and the scheduler of any other worker puts them back to READY once its
heartbeat is stale (`herodesk.jobs.scheduler`); a graceful stop hands back
the jobs it claimed but did not start. Jobs must already be safe to run twice
(the DB worker never promised exactly-once): every HeroDesk job is.
"""

from __future__ import annotations

import json
import logging
import random
import time
from traceback import format_exception
from typing import Any, cast

from django.db import OperationalError, close_old_connections, connections, router, transaction
from django.db.models import Field
from django.utils import timezone
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

logger = logging.getLogger("django_tasks_db")

READY, RUNNING = "READY", "RUNNING"
SUCCESSFUL, FAILED = "SUCCESSFUL", "FAILED"
MAX_BATCH = 32
BATCH_SECONDS = 0.1
RESULT_FIELDS = ["status", "return_value", "finished_at", "exception_class_path", "traceback"]


def save_fields(jobs: list[DBTaskResult], fields: list[str]) -> None:
    """UPDATE … WHERE id = … for every job in one executemany.

    (Django's bulk_update builds a CASE per field and row: ~15 ms for a batch
    of 32, more than the jobs themselves.) Values go through each field's
    get_db_prep_save, as Model.save would send them.
    """
    if not jobs:
        return
    connection = connections[router.db_for_write(DBTaskResult)]
    meta, quote = DBTaskResult._meta, connection.ops.quote_name
    columns = [cast(Field, meta.get_field(name)) for name in fields]
    pk = meta.pk
    assert pk is not None
    # Identifiers come from the model's meta, quoted; every value is a parameter.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        quote(meta.db_table),
        ", ".join(f"{quote(str(f.column))} = %s" for f in columns),
        quote(str(pk.column)),
    )
    rows = [
        [f.get_db_prep_save(getattr(job, f.attname), connection) for f in columns]
        + [pk.get_db_prep_save(job.pk, connection)]
        for job in jobs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class BatchWorker(Worker):
    def __init__(self, *, max_batch: int = MAX_BATCH, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_batch = max_batch
        self._avg_seconds = BATCH_SECONDS  # start cautious: one job per claim

    def batch_size(self) -> int:
        """How many jobs to claim: about BATCH_SECONDS of work, at most max_batch."""
        size = int(BATCH_SECONDS / max(self._avg_seconds, 1e-4))
        if self.max_tasks is not None:
            size = min(size, self.max_tasks - self._run_tasks)
        return max(1, min(self.max_batch, size))

    def claim(self) -> list[DBTaskResult] | None:
        """Lock and mark RUNNING the next jobs; None when the database was busy."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(tasks.db):
                jobs = list(tasks.select_for_update(skip_locked=True)[: self.batch_size()])
                if jobs:
                    now = timezone.now()
                    for job in jobs:
                        job.status, job.started_at = RUNNING, now
                        job.worker_ids = [*job.worker_ids, self.worker_id]
                    save_fields(jobs, ["status", "started_at", "worker_ids"])
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None
            raise
        return jobs

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names)
        )
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # spread workers started together
        while self.running:
            close_old_connections()
            jobs = self.claim()
            if jobs:
                self.run_batch(jobs)
            if self.batch and jobs == []:
                logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Ran %d tasks on worker=%s - exiting.", self._run_tasks, self.worker_id)
                return
            close_old_connections()
            if self.running and not jobs:
                time.sleep(self.interval)

    def run_batch(self, jobs: list[DBTaskResult]) -> None:
        done: list[DBTaskResult] = []
        started = time.perf_counter()
        try:
            for job in jobs:
                if not self.running:
                    break
                self.running_task = True
                try:
                    self.run_one(job)
                finally:
                    self.running_task = False
                    self._run_tasks += 1
                    done.append(job)
        finally:
            if done:
                with transaction.atomic(using=router.db_for_write(DBTaskResult)):
                    save_fields(done, RESULT_FIELDS)
                self._avg_seconds = 0.7 * self._avg_seconds + 0.3 * (
                    (time.perf_counter() - started) / len(done)
                )
            self.hand_back(jobs[len(done) :])
        for job in done:
            self._finished(job)

    def run_one(self, job: DBTaskResult) -> None:
        """Run one claimed job and fill in its result (saved by run_batch)."""
        try:
            task = job.task
            task_started.send(sender=type(task.get_backend()), task_result=job.task_result)
            result = job.task_result
            if task.takes_context:
                value = task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
            else:
                value = task.call(*result.args, **result.kwargs)
            json.dumps(value)  # a result that cannot be stored fails the job, as upstream
            job.status, job.return_value = SUCCESSFUL, value
            job.exception_class_path = job.traceback = ""
            job.finished_at = timezone.now()
        except BaseException as exc:  # recorded like django-tasks-db does
            job.status, job.return_value = FAILED, None
            job.exception_class_path = f"{type(exc).__module__}.{type(exc).__qualname__}"
            job.traceback = "".join(format_exception(exc))
            job.finished_at = timezone.now()
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise

    def _finished(self, job: DBTaskResult) -> None:
        try:
            sender = type(job.task.get_backend())
            task_finished.send(sender=sender, task_result=job.task_result)
        except Exception:
            logger.exception("Task id=%s finished but its signal failed", job.id)

    def hand_back(self, jobs: list[DBTaskResult]) -> None:
        """Jobs claimed but not started (a graceful stop) go back to READY."""
        if jobs:
            DBTaskResult.objects.filter(pk__in=[j.pk for j in jobs], status=RUNNING).update(
                status=READY, started_at=None
            )
