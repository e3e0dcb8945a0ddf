"""A docs page's question list (the embed's JSON) with 50k questions.

    .venv/bin/python bench/bench_community.py [sqlite|postgres] [--questions 50000]
        [--cache redis://127.0.0.1:6379/15]

Seeds N public questions spread over 1,000 docs pages and 8 topics (a tenth
held or hidden, so the filter has work to do), serves with
`herodesk serve --workers 2`, and times GET /community/api/questions?page=…
over a keep-alive connection (loopback, so the figure is the server's time):
first for pages nobody asked for since the cache was emptied ("cold": the
query and the JSON), then for the same pages again ("warm": the per-page
cache of community.page_cache). Also the same calls in process (Django's
handler, no HTTP server) and the hosted page /community/p/<page>.

Beside wall times it records CPU: the server's processes (and, on
PostgreSQL, its backends serving the benchmark) per request, so a figure
taken on a shared machine can be read against its load. The cache is
HERODESK_CACHE_URL's (the file cache of /tmp/herodesk-bench/var by default;
--cache picks another). Target (issue 13): p50 ≤ 10 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import (
    cpu_seconds,
    database_url,
    load_average,
    machine,
    percentiles,
    served,
    setup_django,
    tree_cpu_seconds,
)

PAGES = 1000
TOPICS = 8


def seed(count: int) -> None:
    from herodesk.community.markdown import render
    from herodesk.community.models import Account, Question, Topic

    topics = [
        Topic.objects.create(slug=f"topic-{i}", name=f"Topic {i}", paths=[f"/docs/t{i}/*"])
        for i in range(TOPICS)
    ]
    now = datetime.now(UTC)
    account = Account.objects.create(
        email="bench@example.org", name="Bench", password="!", created_at=now,
        email_verified_at=now, approved_posts=1,
    )  # fmt: skip
    body = "How do I **export** my events?\n\n```python\nclient.export()\n```"
    html = render(body)
    rng = random.Random(count)
    batch: list[Question] = []
    for i in range(count):
        page = rng.randrange(PAGES)
        at = now - timedelta(minutes=rng.randint(1, 60 * 24 * 365))
        state = rng.choice(["open"] * 6 + ["resolved"] * 2 + ["locked", "hidden"])
        held = "links" if i % 20 == 0 else ""
        question = Question(
            page=f"/docs/t{page % TOPICS}/page-{page}", topic=topics[page % TOPICS],
            title=f"Question {i} about page {page}", body=body, body_html=html,
            state=state, held_reason=held, is_public=state != "hidden" and not held,
            account=account, author_name="Bench", answer_count=rng.randint(0, 4),
            created_at=at, updated_at=at, last_activity_at=at,
        )  # fmt: skip
        batch.append(question)
        if len(batch) == 5000:
            Question.objects.bulk_create(batch)
            batch.clear()
    Question.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pages(rounds: int, seed: int) -> list[str]:
    """`rounds` different docs pages (so the first pass misses the cache every time)."""
    picked = random.Random(seed).sample(range(PAGES), min(rounds, PAGES))
    return [f"/docs/t{page % TOPICS}/page-{page}" for page in picked]


def in_process(rounds: int) -> dict[str, dict[str, float]]:
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    paths = pages(rounds, 1)
    for path in paths[:20]:  # warm-up: imports, the prepared SQL, the connection
        client.get(f"/community/api/questions?page={path}")
    cache.clear()
    out = {}
    for name in ("cold", "warm"):
        samples, cpu = [], []
        for path in paths:
            start, start_cpu = time.perf_counter(), time.process_time()
            res = client.get(f"/community/api/questions?page={path}")
            samples.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            assert res.status_code == 200, res.content[:200]
        result = percentiles(samples)
        result["cpu_mean_ms"] = round(sum(cpu) / len(cpu) * 1000, 3)
        out[name] = result
    return out


def backends(db: str) -> list[int]:
    """The PostgreSQL server processes serving the benchmark's database."""
    if db != "postgres":
        return []
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [int(row[0]) for row in cursor.fetchall()]


def over_http(
    port: int, pid: int, db: str, paths: list[str], hosted: bool = False
) -> dict[str, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    samples, sizes = [], []
    cpu_before = tree_cpu_seconds(pid)
    pg_before = {p: cpu_seconds([p]) for p in backends(db)}
    for path in paths:
        url = f"/community/p{path}" if hosted else f"/community/api/questions?page={path}"
        start = time.perf_counter()
        conn.request("GET", url, headers={"Origin": "https://docs.example"})
        res = conn.getresponse()
        payload = res.read()
        samples.append(time.perf_counter() - start)
        sizes.append(len(payload))
        assert res.status == 200, (res.status, payload[:200])
    result = percentiles(samples)
    result["server_cpu_ms_per_request"] = round(
        (tree_cpu_seconds(pid) - cpu_before) / len(paths) * 1000, 3
    )
    if db == "postgres":  # backends opened during the pass count from zero
        used = sum(cpu_seconds([p]) - pg_before.get(p, 0.0) for p in backends(db))
        result["postgres_cpu_ms_per_request"] = round(used / len(paths) * 1000, 3)
    result["avg_bytes"] = int(sum(sizes) / len(sizes))
    if not hosted:
        result["questions_per_page"] = len(json.loads(payload))
    return result


def settings_cache() -> str:
    from django.conf import settings

    return str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", nargs="?", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--questions", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=500, help="pages per pass (≤ 1000)")
    parser.add_argument("--cache", help="HERODESK_CACHE_URL for this run (default: file)")
    args = parser.parse_args()
    if args.cache:
        os.environ["HERODESK_CACHE_URL"] = args.cache
    url = database_url(args.db, "herodesk_bench_community")
    setup_django(url)
    from django.core.cache import cache
    from django.db import connections

    started = time.perf_counter()
    seed(args.questions)
    seeded = round(time.perf_counter() - started, 1)
    load_before = load_average()
    results: dict[str, object] = {"in_process": in_process(args.rounds)}
    connections.close_all()
    with served(url) as (port, pid):
        warm_up = pages(40, 3)
        over_http(port, pid, args.db, warm_up)  # both workers: imports, connections
        cache.clear()
        paths = pages(args.rounds, 2)
        results["http_embed_json_cold"] = over_http(port, pid, args.db, paths)
        results["http_embed_json_warm"] = over_http(port, pid, args.db, paths)
        results["http_hosted_page"] = over_http(port, pid, args.db, paths[:100], hosted=True)
        connections.close_all()
    print(
        json.dumps(
            {
                "benchmark": "community page questions (embed JSON)",
                "db": args.db,
                "questions": args.questions,
                "pages": PAGES,
                "seed_seconds": seeded,
                "machine": machine(),
                "cache": str(settings_cache()),
                "load_average": f"{load_before} → {load_average()}",
                "date": datetime.now(UTC).strftime("%Y-%m-%d"),
                **results,
                "target_p50_ms": 10,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
