"""The batch-claiming job loop: same results as django-tasks-db's, fewer round trips."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from herodesk.jobs.worker import BatchWorker

pytestmark = pytest.mark.django_db(transaction=True)

SEEN: list[Any] = []


@task()
def remember(value: int) -> int:
    SEEN.append(value)
    return value * 2


@task()
def explode(message: str) -> None:
    raise ValueError(message)


@task()
def unstorable() -> Any:
    return {1, 2}  # a set is not JSON


@task()
def slow(value: int) -> int:
    time.sleep(0.03)
    SEEN.append(value)
    return value


@task()
def stop_worker(value: int) -> int:
    SEEN.append(value)
    WORKERS[0].running = False  # what SIGTERM does
    return value


WORKERS: list[BatchWorker] = []


def worker(**kwargs: Any) -> BatchWorker:
    options = {
        "queue_names": ["*"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "w-test",
        "excluded_queue_names": [],
        **kwargs,
    }
    made = BatchWorker(**options)
    WORKERS[:] = [made]
    return made


@pytest.fixture(autouse=True)
def _clean():
    SEEN.clear()
    yield
    SEEN.clear()


def test_a_batch_runs_in_order_and_records_each_result():
    ids = [remember.enqueue(i).id for i in range(5)]
    failed = explode.enqueue("boom").id
    bad = unstorable.enqueue().id
    w = worker()
    w._avg_seconds = 0.001  # as after a run of fast jobs: claim many at once
    with CaptureQueriesContext(connection) as queries:
        w.run()
    assert SEEN == [0, 1, 2, 3, 4]
    rows = {str(r.id): r for r in DBTaskResult.objects.all()}
    for n, pk in enumerate(ids):
        row = rows[str(pk)]
        assert (row.status, row.return_value, row.worker_ids) == ("SUCCESSFUL", n * 2, ["w-test"])
        assert row.started_at <= row.finished_at
    assert rows[str(failed)].status == "FAILED"
    assert rows[str(failed)].exception_class_path == "builtins.ValueError"
    assert "boom" in rows[str(failed)].traceback
    assert rows[str(bad)].status == "FAILED"
    assert rows[str(bad)].exception_class_path == "builtins.TypeError"
    # One claim for all seven jobs, one results statement, one empty look at the end:
    claims = [q for q in queries if "FROM" in q["sql"] and "dbtaskresult" in q["sql"].lower()]
    assert len(claims) == 2


def test_slow_jobs_are_claimed_one_at_a_time():
    for i in range(4):
        slow.enqueue(i)
    w = worker(max_tasks=1)
    w._avg_seconds = 0.001
    w.run()  # ran one job: now the worker knows they are slow
    assert w.batch_size() < 4
    w.max_tasks = None
    w._avg_seconds = 1.0
    assert w.batch_size() == 1
    w.run()
    assert sorted(SEEN) == [0, 1, 2, 3]


def test_max_tasks_limits_the_claim():
    for i in range(10):
        remember.enqueue(i)
    w = worker(max_tasks=3)
    w._avg_seconds = 0.001
    w.run()
    assert len(SEEN) == 3
    assert DBTaskResult.objects.filter(status="READY").count() == 7
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 0


def test_a_graceful_stop_hands_back_the_jobs_it_did_not_start():
    stop_worker.enqueue(1)
    later = [remember.enqueue(i).id for i in range(3)]
    w = worker()
    w._avg_seconds = 0.001
    w.run()
    assert SEEN == [1]
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    waiting = DBTaskResult.objects.filter(pk__in=later)
    assert {r.status for r in waiting} == {"READY"}
    assert {r.started_at for r in waiting} == {None}
    # Another worker picks them up.
    worker(worker_id="w-next").run()
    assert sorted(SEEN) == [0, 1, 1, 2]
