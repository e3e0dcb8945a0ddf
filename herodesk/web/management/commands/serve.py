"""`herodesk serve`: the web app on Granian (a Rust HTTP server), not runserver.

Why Granian rather than gunicorn's sync workers: it keeps connections alive
(sync workers close every connection), copes with slow clients without a
buffering proxy in front, streams request bodies to Django (size limits still
answer 413 before the body is read) and, on this project's 2-core benchmark,
serves about 15% more ticket creates per second with the same two worker
processes (bench/RESULTS.md). Each worker process runs the WSGI app in
`--threads` blocking threads (one database connection per thread); a worker
that dies is started again.

By default two worker processes with one thread each, on either database
(`shape()`); `--workers`/`--threads` (or HERODESK_WEB_WORKERS /
HERODESK_WEB_THREADS) change it. On SQLite one process with two threads was
tried (issue 17 §4: two processes writing one file cost more CPU per write,
and Granian's first worker to wake takes a burst of new connections, so 4 and
16 clients ran on different numbers of processes). On a quiet 2-core machine
two processes served more: 364 / 390 creates/s at 4 / 16 connections against
250 / 260 for one process (the GIL holds one core), and 93 against 84 queue
reads/s; both keep 16 connections at ≥ 90 % of 4 (bench/RESULTS.md).
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from herodesk.lib.ports import PortBusy, check_free

# Worker processes × threads per process when neither is given, on either database.
DEFAULT_WORKERS, DEFAULT_THREADS = 2, 1


def shape(workers: int | None, threads: int | None) -> tuple[int, int]:
    """Worker processes and app threads per process: what was asked, else the
    default (see the module docstring)."""
    return (
        DEFAULT_WORKERS if workers is None else workers,
        DEFAULT_THREADS if threads is None else threads,
    )


def _env_int(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    if not value.lstrip("-").isdigit():
        raise CommandError(f"{name} must be a whole number, got {value!r}")
    return int(value)


def parse_bind(value: str) -> tuple[str, int]:
    """'host:port' or '[ipv6]:port' → (host, port); CommandError names the option."""
    host, sep, port = value.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"--bind must look like HOST:PORT (e.g. 127.0.0.1:8000), got {value!r}")
    return host, int(port)


def access_log(target: str) -> tuple[bool, dict[str, Any] | None]:
    """HERODESK_ACCESS_LOG: '-' (stderr, default), 'off', or a file to append to."""
    if target in ("", "off", "/dev/null"):
        return False, None
    stream = {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}
    handler = stream if target == "-" else {"class": "logging.FileHandler", "filename": target}
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "generic": {"format": "[%(levelname)s] %(message)s"},
            "access": {"format": "%(message)s"},
        },
        "handlers": {
            "console": {"formatter": "generic", **stream},
            "access": {"formatter": "access", **handler},
        },
        "loggers": {
            "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "granian.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }
    return True, config


class Command(BaseCommand):
    help = "Serve HeroDesk with Granian (see docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("HERODESK_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers",
            type=int,
            help="worker processes (default: HERODESK_WEB_WORKERS, else 2)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            help="app threads per worker process (default: HERODESK_WEB_THREADS, else 1)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="only check that the address is free to serve on (exit 1 when it is not)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # lazy: Granian (Rust extension) is loaded only by the command that serves.
        from granian import Granian
        from granian.constants import Interfaces  # lazy: as above

        host, port = parse_bind(options["bind"])
        workers, threads = shape(
            _env_int("HERODESK_WEB_WORKERS") if options["workers"] is None else options["workers"],
            _env_int("HERODESK_WEB_THREADS") if options["threads"] is None else options["threads"],
        )
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        if threads < 1:
            raise CommandError("--threads must be at least 1")
        try:
            check_free(host, port)
        except PortBusy as exc:
            raise CommandError(str(exc)) from None
        if options["check"]:
            return
        log_access, log_config = access_log(os.environ.get("HERODESK_ACCESS_LOG", "-"))
        server = Granian(
            "herodesk.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=threads,
            websockets=False,
            log_access=log_access,
            log_dictconfig=log_config,
            respawn_failed_workers=True,
            workers_kill_timeout=30,
        )
        self.stdout.write(
            f"HeroDesk serving on http://{options['bind']}/ "
            f"({workers} worker process(es) × {threads} thread(s))",
            ending="\n",
        )
        self.stdout.flush()
        server.serve()
