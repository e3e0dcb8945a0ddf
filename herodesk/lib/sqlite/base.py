"""SQLite backend whose writers queue on a file lock instead of SQLite's busy sleeps.

SQLite lets one writer in at a time. A second writer's `BEGIN IMMEDIATE` gets
SQLITE_BUSY and SQLite's busy handler retries after sleeping 1, 2, 5, 10, 15,
20, 25 … ms — far longer than our write transactions (well under 1 ms). With
two server processes writing, a third of the CPU sat idle in those sleeps
(`bench/bench_api.py`: creates over HTTP).

Here every transaction first takes an exclusive `flock` on `<db>.writer`:
the kernel wakes the next waiter the moment the previous one commits or rolls
back, and a process that dies drops its lock. `BEGIN IMMEDIATE` then finds the
database free, and SQLite's own timeout still guards writers that do not take
the lock (autocommit statements, the `sqlite3` shell). In-memory databases
(the test suite) have a single process and skip it.
"""

from __future__ import annotations

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_fd: int | None = None
    _writer_held = False

    def _writer_lock(self) -> int | None:
        if self._writer_fd is None and not self.is_in_memory_db():
            path = f"{self.settings_dict['NAME']}.writer"
            self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        return self._writer_fd

    def _release_writer(self) -> None:
        if self._writer_held and self._writer_fd is not None:
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)
        self._writer_held = False

    def _start_transaction_under_autocommit(self) -> None:
        fd = self._writer_lock()
        if fd is not None and not self._writer_held:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._writer_held = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_writer()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_writer()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
