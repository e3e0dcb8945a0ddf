"""Garbage-collector pauses in a web process: the WSGI app plain vs frozen.

    .venv/bin/python bench/bench_gc.py [sqlite|postgres] [--rounds 3] [--passes 60]

Loads the demo desk into a fresh database, then runs each mode in its own new
process (a freeze is process-wide), rounds interleaved (plain, frozen, plain …):
- plain:  Django's WSGI handler, as herodesk/wsgi.py served it before;
- frozen: herodesk/wsgi.py's app (`lib.gcfreeze.FrozenAfterWarmUp`).
Each process signs a hero in and sends the desk's main pages and API reads
straight to the WSGI callable (no HTTP server, so the figures are the
process's own): WARM_UP untimed passes (first loads), then `--passes` timed
ones, timing every request and every collection (`gc.callbacks`). Reports per
mode: requests, p50 / p99 / max request ms, the page whose slowest request
stood furthest above its median, per generation the count, total and longest
pause, the size of the oldest generation before and after the timed passes
(its growth per request sets how often a full collection runs), and how long
a full collection run right after them takes (what the request that triggers
the next one waits). Full
collections are the ones that walk every live object; the freeze shrinks them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import BIN, ROOT, database_url, machine, setup_django

WARM_UP = 2  # passes before timing (the frozen app has frozen after its 1st and 10th request)
PATHS = [
    "/queue/product-analytics/",
    "/queue/pipeline/",
    "/tickets/5/",
    "/tickets/41/",
    "/search/?q=export",
    "/reports/",
    "/schedule/",
    "/api/v1/queue?team=pipeline",
    "/api/v1/tickets?team=pipeline&q=events",
]


def prepare(kind: str) -> dict[str, str]:
    url = database_url(kind, "herodesk_bench_gc")
    setup_django(url)
    from django.core.management import call_command

    call_command("apply", str(ROOT / "herodesk/demo/desk.toml"), stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    return {**os.environ, "DATABASE_URL": url, "HERODESK_LOG_LEVEL": "WARNING"}


def child(mode: str, passes: int) -> None:
    """One process: serve the pages `passes` times through the WSGI callable."""
    import gc

    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started = [0.0]

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses[info["generation"]].append(time.perf_counter() - started[0])

    os.environ["DJANGO_SETTINGS_MODULE"] = "herodesk.settings"
    if mode == "frozen":
        from herodesk.wsgi import application as app
    else:
        from django.core.wsgi import get_wsgi_application

        app = get_wsgi_application()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="ana"))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    gc.callbacks.append(watch)

    def call(path: str) -> int:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": cookie,
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        status = []
        body = app(environ, lambda s, h, *a: status.append(s))
        size = sum(len(chunk) for chunk in body)
        if hasattr(body, "close"):
            body.close()
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}: {status[0]}")
        return size

    for _ in range(WARM_UP):  # lazy loads and first renders: not what a busy process does
        for path in PATHS:
            call(path)
    for p in pauses.values():
        p.clear()
    times, by_path = [], {path: [] for path in PATHS}
    # Objects the full collections walk (the oldest generation, frozen ones excluded)
    # before and after: their growth per request sets how often a full one runs.
    oldest_before = len(gc.get_objects(generation=2))
    cpu = time.process_time()
    for _ in range(passes):
        for path in PATHS:
            t = time.perf_counter()
            call(path)
            took = time.perf_counter() - t
            times.append(took)
            by_path[path].append(took)
    cpu = time.process_time() - cpu
    oldest_after = len(gc.get_objects(generation=2))
    # What the next full collection will cost the request that triggers it.
    t = time.perf_counter()
    gc.collect()
    full_now = time.perf_counter() - t
    ordered = sorted(times)
    # A page's slowest request over its median: the pause a collection adds to it.
    worst = max(by_path, key=lambda k: max(by_path[k]) - statistics.median(by_path[k]))
    out = {
        "mode": mode,
        "requests": len(times),
        "cpu_s": round(cpu, 2),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[int(len(ordered) * 0.99)] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "oldest_generation": [oldest_before, oldest_after],
        "full_collection_after_ms": round(full_now * 1000, 1),
        "frozen_objects": gc.get_freeze_count(),
        "worst_page": worst,
        "worst_page_median_ms": round(statistics.median(by_path[worst]) * 1000, 1),
        "worst_page_max_ms": round(max(by_path[worst]) * 1000, 1),
        "gc": {
            g: {
                "count": len(p),
                "total_ms": round(sum(p) * 1000, 1),
                "max_ms": round(max(p, default=0) * 1000, 1),
            }
            for g, p in pauses.items()
        },
    }
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", nargs="?", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--passes", type=int, default=60)
    parser.add_argument("--child", choices=["plain", "frozen"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.passes)
        return
    env = prepare(args.kind)
    print(f"# {machine()}, {args.kind}, load {os.getloadavg()[0]:.2f}")
    runs: dict[str, list[dict]] = {"plain": [], "frozen": []}
    for _ in range(args.rounds):
        for mode in ("plain", "frozen"):
            res = subprocess.run(
                [str(BIN / "python"), __file__, "--child", mode, "--passes", str(args.passes)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            row = json.loads(res.stdout.strip().splitlines()[-1])
            runs[mode].append(row)
            full = row["gc"]["2"]
            print(
                f"{mode:7} {row['requests']} requests  p50 {row['p50_ms']} p99 {row['p99_ms']} "
                f"max {row['max_ms']} ms  cpu {row['cpu_s']} s  worst page {row['worst_page']} "
                f"{row['worst_page_median_ms']} → {row['worst_page_max_ms']} ms  full collections "
                f"{full['count']} (longest {full['max_ms']} ms, total {full['total_ms']} ms); "
                f"young {row['gc']['0']['count'] + row['gc']['1']['count']} "
                f"({row['gc']['0']['total_ms'] + row['gc']['1']['total_ms']:.1f} ms); "
                f"oldest generation {row['oldest_generation']}, frozen {row['frozen_objects']}; "
                f"a full collection after them {row['full_collection_after_ms']} ms",
                flush=True,
            )
    print(json.dumps({"machine": machine(), "kind": args.kind, "runs": runs}))


if __name__ == "__main__":
    main()
