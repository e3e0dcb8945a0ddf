"""Who is running this code: the worker id (set by `herodesk worker`)."""

from __future__ import annotations

import os
import socket

_worker_id: str | None = None


def set_worker_id(value: str) -> None:
    global _worker_id
    _worker_id = value


def worker_id() -> str:
    """The worker's id, else host:pid (a web process or a shell)."""
    return _worker_id or f"{socket.gethostname()[:40]}:{os.getpid()}"
