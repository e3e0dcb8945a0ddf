"""Shared helpers for the benchmarks: a database per run, a live server, timing."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def database_url(kind: str, name: str) -> str:
    """A fresh database. HERODESK_BENCH_TAG keeps runs of several checkouts on one
    machine apart (`/tmp/herodesk-bench/<name><tag>.sqlite3`, database `<name><tag>`)."""
    name += os.environ.get("HERODESK_BENCH_TAG", "")
    if kind == "sqlite":
        path = Path(f"/tmp/herodesk-bench/{name}.sqlite3")
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base = os.environ.get("HERODESK_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("HERODESK_VAR_DIR", "/tmp/herodesk-bench/var")
    os.environ["HERODESK_LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "herodesk.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(url: str, workers: int = 2) -> Iterator[int]:
    with served(url, workers) as (port, _pid):
        yield port


@contextmanager
def served(
    url: str, workers: int | None = 2, threads: int | None = None
) -> Iterator[tuple[int, int]]:
    """`herodesk serve` on a free port: (port, pid of the server process).
    `workers`/`threads` None: the command's own choice for this database."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HERODESK_ACCESS_LOG": "/dev/null",
        "HERODESK_LOG_LEVEL": "WARNING",
    }
    cmd = [str(BIN / "herodesk"), "serve", "--bind", f"127.0.0.1:{port}"]
    cmd += ["--workers", str(workers)] if workers is not None else []
    cmd += ["--threads", str(threads)] if threads is not None else []
    proc = subprocess.Popen(
        cmd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("server did not start")
        yield port, proc.pid
    finally:
        proc.terminate()
        proc.wait(10)


class Http:
    """A keep-alive HTTP/1.1 client (stdlib), so we time the server, not TCP set-up."""

    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def request(self, method: str, path: str, body: object = None) -> tuple[int, bytes, float]:
        data = json.dumps(body).encode() if body is not None else None
        start = time.perf_counter()
        self.conn.request(method, path, body=data, headers=self.headers)
        res = self.conn.getresponse()
        payload = res.read()
        return res.status, payload, time.perf_counter() - start


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
        "n": len(ordered),
    }


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {sys.version.split()[0]}"


def _ticks(pid: int) -> int:
    """utime + stime of one process, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _ticks(current)
        todo.extend(children.get(current, []))
    return total / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    return sum(_ticks(p) for p in pids) / os.sysconf("SC_CLK_TCK")


def connections_per_worker(port: int) -> list[int]:
    """How many established connections to `port` each server process holds
    (`ss -tnp`, Linux; [] when ss is missing), largest first."""
    try:
        out = subprocess.run(
            ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
            check=False,
            timeout=5,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    counts: dict[str, int] = {}
    for pid in re.findall(r"pid=(\d+)", out):
        counts[pid] = counts.get(pid, 0) + 1
    return sorted(counts.values(), reverse=True)


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())
