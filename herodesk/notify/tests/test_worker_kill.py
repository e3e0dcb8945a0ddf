"""`herodesk worker` as a real process: killed with SIGKILL in the middle of
sending a mail, another worker sends it, and it arrives exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from herodesk.notify.models import Delivery
from herodesk.notify.tests.conftest import make_email_ticket

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]


def database_url(tmp_path: Path) -> str:
    """A URL another process can open holding what this test wrote."""
    if connection.vendor == "sqlite":  # the test database lives in memory: copy it to a file
        path = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    cfg = connection.settings_dict
    auth = cfg["USER"] + (f":{cfg['PASSWORD']}" if cfg["PASSWORD"] else "")
    return f"postgres://{auth}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{cfg['NAME']}"


def delivery_row(url: str, pk: int) -> tuple[str, int]:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return db.execute(
                "SELECT status, attempts FROM notify_delivery WHERE id = ?", (pk,)
            ).fetchone()
    d = Delivery.objects.get(pk=pk)
    return d.status, d.attempts


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Any]:
    procs: list[subprocess.Popen[bytes]] = []

    def start(url: str, smtp_port: int, worker_id: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "HERODESK_SMTP_HOST": "127.0.0.1",
            "HERODESK_SMTP_PORT": str(smtp_port),
            "HERODESK_SMTP_TIMEOUT": "60",
            "HERODESK_DELIVERY_LEASE_SECONDS": "3",
            "HERODESK_WORKER_STALE_SECONDS": "2",
            "HERODESK_SCHEDULER_TICK_SECONDS": "1",
            "HERODESK_LOG_LEVEL": "WARNING",
            "HERODESK_VAR_DIR": str(settings.VAR_DIR),
        }
        log = (tmp_path / f"{worker_id}.log").open("wb")
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "herodesk",
                "worker",
                "--interval",
                "0.2",
                "--worker-id",
                worker_id,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_for(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_worker_killed_mid_send_loses_nothing_and_the_mail_arrives_once(
    smtp, spawn, team, paying_requester, tmp_path
):
    smtp.inbox.stall_first = 30  # the first DATA hangs: the worker is mid-send
    ticket = make_email_ticket(paying_requester, team=team)
    ack = Delivery.objects.get(kind="ack")
    url = database_url(tmp_path)

    first = spawn(url, smtp.port, "doomed-worker")
    wait_for(smtp.inbox.stalled.is_set, 60, "the first worker to start sending")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    assert smtp.inbox.messages == []  # the server never accepted it

    spawn(url, smtp.port, "rescuer")
    wait_for(lambda: len(smtp.inbox.messages) >= 1, 60, "the second worker to send it")
    time.sleep(3)  # room for a duplicate to show up, if there were one

    [sent] = smtp.inbox.messages
    assert sent["Subject"] == f"Re: Export fails [HD#{ticket.pk}]"
    status, attempts = delivery_row(url, ack.pk)
    assert (status, attempts) == ("sent", 2)
