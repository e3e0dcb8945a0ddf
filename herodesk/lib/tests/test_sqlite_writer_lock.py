"""The SQLite backend queues writers on a file lock and always lets it go."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection

from herodesk.lib.sqlite.base import DatabaseWrapper


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker):
    """These tests open their own database files, not the test database."""
    with django_db_blocker.unblock():
        yield


def _wrapper(path: Path) -> DatabaseWrapper:
    settings = {
        **connection.settings_dict,
        "ENGINE": "herodesk.lib.sqlite",
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 5},
        "TEST": {},
    }
    return DatabaseWrapper(settings, alias="writer-lock-test")


def _locked_elsewhere(path: Path) -> bool:
    """Would another open file (another process or connection) block on the lock?"""
    fd = os.open(f"{path}.writer", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_the_lock_is_held_for_the_transaction_only(tmp_path):
    db = _wrapper(tmp_path / "x.sqlite3")
    try:
        with db.cursor() as cur:
            cur.execute("CREATE TABLE t (v INTEGER)")
        assert not _locked_elsewhere(tmp_path / "x.sqlite3")
        with _atomic(db):
            with db.cursor() as cur:
                cur.execute("INSERT INTO t VALUES (1)")
            assert _locked_elsewhere(tmp_path / "x.sqlite3")
        assert not _locked_elsewhere(tmp_path / "x.sqlite3")
        # A failed transaction rolls back and lets go of the lock too.
        with pytest.raises(RuntimeError), _atomic(db):
            with db.cursor() as cur:
                cur.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError("boom")
        assert not _locked_elsewhere(tmp_path / "x.sqlite3")
        with db.cursor() as cur:
            cur.execute("SELECT v FROM t")
            assert cur.fetchall() == [(1,)]
    finally:
        db.close()
    assert not _locked_elsewhere(tmp_path / "x.sqlite3")


class _atomic:
    """BEGIN … COMMIT/ROLLBACK on a connection that is not in settings.DATABASES."""

    def __init__(self, db: DatabaseWrapper) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.ensure_connection()
        self.db._start_transaction_under_autocommit()

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is None:
            self.db._commit()
        else:
            self.db._rollback()


WRITER = textwrap.dedent(
    """
    import sys
    import django
    from django.conf import settings
    settings.configure(DATABASES={"default": {
        "ENGINE": "herodesk.lib.sqlite", "NAME": sys.argv[1],
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 0.001},
    }})
    django.setup()
    from django.db import connection, transaction
    for i in range(300):
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("INSERT INTO t VALUES (%s)", [i])
    """
)


def test_two_processes_write_without_busy_errors(tmp_path):
    """With a 1 ms SQLite timeout, writers would fail with 'database is locked'
    unless they queue on the file lock first."""
    path = tmp_path / "two.sqlite3"
    db = _wrapper(path)
    with db.cursor() as cur:
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("CREATE TABLE t (v INTEGER)")
    db.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path)], env=env, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()[-2000:]
    db = _wrapper(path)
    try:
        with db.cursor() as cur:
            cur.execute("SELECT count(*) FROM t")
            assert cur.fetchone() == (600,)
    finally:
        db.close()
