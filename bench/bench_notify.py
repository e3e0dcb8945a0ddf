"""Notifications processed per second by one worker, and its RSS after N jobs.

    .venv/bin/python bench/bench_notify.py [sqlite|postgres] [--jobs 10000]

Queues N outbox deliveries (half email, half Slack posts) with their jobs,
then runs one `herodesk worker --batch` against a real SMTP sink (aiosmtpd on
loopback) and a local HTTP stand-in for Slack's API. Reports jobs/second
(first job started → last job finished, from the job rows) and the worker's
resident memory (last sample before it exited, and the peak).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import BIN, database_url, free_port, machine, setup_django


class Sink:
    """An SMTP server that counts what it accepts."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.count += 1
        return "250 OK"


class SlackStub(BaseHTTPRequestHandler):
    posts = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        SlackStub.posts += 1
        body = json.dumps({"ok": True, "channel": "C1", "ts": f"{time.time():.6f}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def enqueue(n: int) -> float:
    from django.db import transaction

    from herodesk.notify import outbox

    start = time.perf_counter()
    for chunk in range(0, n, 500):
        with transaction.atomic():
            for i in range(chunk, min(chunk + 500, n)):
                if i % 2:
                    outbox.enqueue(
                        key=f"bench:{i}",
                        transport="slack",
                        kind="bench",
                        recipient="C1",
                        payload={"channel": "C1", "text": f"post {i}"},
                    )
                else:
                    outbox.enqueue(
                        key=f"bench:{i}",
                        transport="email",
                        kind="bench",
                        recipient="r@bench.example",
                        payload={
                            "to": ["r@bench.example"],
                            "subject": f"mail {i}",
                            "text": "hello " * 40,
                            "html": "<p>hello</p>" * 40,
                            "headers": {"Message-ID": f"<bench.{i}@herodesk.localhost>"},
                        },
                    )
    return time.perf_counter() - start


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_worker(url: str, smtp_port: int, slack_port: int) -> tuple[float, int, int]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HERODESK_SMTP_HOST": "127.0.0.1",
        "HERODESK_SMTP_PORT": str(smtp_port),
        "HERODESK_SLACK_BOT_TOKEN": "xoxb-bench",
        "HERODESK_SLACK_API_URL": f"http://127.0.0.1:{slack_port}/api/",
        "HERODESK_LOG_LEVEL": "WARNING",
    }
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "herodesk"), "worker", "--batch", "-v", "0", "--interval", "0"], env=env
    )
    last = peak = 0
    while proc.poll() is None:
        sample = rss_kb(proc.pid)
        if sample:
            last, peak = sample, max(peak, sample)
        time.sleep(0.2)
    if proc.returncode != 0:
        raise RuntimeError(f"worker exited with {proc.returncode}")
    return time.perf_counter() - start, last, peak


def job_window() -> tuple[int, float]:
    from django.db.models import Max, Min
    from django_tasks_db.models import DBTaskResult

    done = DBTaskResult.objects.filter(status="SUCCESSFUL")
    span = done.aggregate(first=Min("started_at"), last=Max("finished_at"))
    return done.count(), (span["last"] - span["first"]).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", nargs="?", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--jobs", type=int, default=10_000)
    args = parser.parse_args()
    url = database_url(args.kind, "bench_notify")
    setup_django(url)
    from aiosmtpd.controller import Controller

    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    slack = ThreadingHTTPServer(("127.0.0.1", free_port()), SlackStub)
    threading.Thread(target=slack.serve_forever, daemon=True).start()
    try:
        queued = enqueue(args.jobs)
        wall, last_rss, peak_rss = run_worker(url, smtp.port, slack.server_address[1])
        done, busy = job_window()
    finally:
        smtp.stop()
        slack.shutdown()
    print(f"machine: {machine()} (shared and noisy: treat figures as rough)")
    print(f"database: {args.kind}; jobs: {args.jobs} (half email over SMTP, half Slack posts)")
    print(f"enqueue: {args.jobs / queued:.0f} deliveries/s (outbox row + job, in transactions)")
    print(
        f"worker: {done} jobs in {busy:.1f}s = {done / busy:.0f} notifications/s "
        f"(wall incl. start-up {wall:.1f}s)"
    )
    print(f"delivered: {sink.count} mails, {SlackStub.posts} Slack posts")
    print(
        f"worker RSS after {done} jobs: {last_rss / 1024:.0f} MB (peak {peak_rss / 1024:.0f} MB;"
        f" target ≤ 120 MB)"
    )


if __name__ == "__main__":
    main()
