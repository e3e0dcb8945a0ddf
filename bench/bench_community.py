"""A docs page's question list (the embed's JSON) with 50k questions.

    .venv/bin/python bench/bench_community.py [sqlite|postgres] [--questions 50000]

Seeds N public questions spread over 1,000 docs pages and 8 topics (a tenth
held or hidden, so the filter has work to do), serves with
`herodesk serve --workers 2`, and times GET /community/api/questions?page=…
over a keep-alive connection for pages picked at random (loopback, so the
figure is the server's time). Also times the same call in process (Django's
handler, no HTTP server) and the hosted page /community/p/<page>.
Target (issue 13): p50 ≤ 10 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import database_url, machine, percentiles, server, setup_django

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


def in_process(rounds: int) -> dict[str, float]:
    from django.test import Client

    client = Client()
    rng = random.Random(1)
    samples = []
    for i in range(rounds + 20):
        page = rng.randrange(PAGES)
        start = time.perf_counter()
        res = client.get(f"/community/api/questions?page=/docs/t{page % TOPICS}/page-{page}")
        elapsed = time.perf_counter() - start
        assert res.status_code == 200, res.content[:200]
        if i >= 20:
            samples.append(elapsed)
    return percentiles(samples)


def over_http(port: int, rounds: int, hosted: bool = False) -> dict[str, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    rng = random.Random(2)
    samples, sizes = [], []
    for i in range(rounds + 20):
        page = rng.randrange(PAGES)
        path = f"/docs/t{page % TOPICS}/page-{page}"
        url = f"/community/p{path}" if hosted else f"/community/api/questions?page={path}"
        start = time.perf_counter()
        conn.request("GET", url, headers={"Origin": "https://docs.example"})
        res = conn.getresponse()
        payload = res.read()
        elapsed = time.perf_counter() - start
        assert res.status == 200, (res.status, payload[:200])
        if i >= 20:
            samples.append(elapsed)
            sizes.append(len(payload))
    result = percentiles(samples)
    result["avg_bytes"] = int(sum(sizes) / len(sizes))
    if not hosted:
        result["questions_per_page"] = len(json.loads(payload))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", nargs="?", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--questions", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=500)
    args = parser.parse_args()
    url = database_url(args.db, "herodesk_bench_community")
    setup_django(url)
    started = time.perf_counter()
    seed(args.questions)
    seeded = round(time.perf_counter() - started, 1)
    results = {"in_process": in_process(args.rounds)}
    from django.db import connections

    connections.close_all()
    with server(url) as port:
        results["http_embed_json"] = over_http(port, args.rounds)
        results["http_hosted_page"] = over_http(port, args.rounds // 5, hosted=True)
    print(
        json.dumps(
            {
                "benchmark": "community page questions (embed JSON)",
                "db": args.db,
                "questions": args.questions,
                "pages": PAGES,
                "seed_seconds": seeded,
                "machine": machine(),
                "date": datetime.now(UTC).strftime("%Y-%m-%d"),
                **results,
                "target_p50_ms": 10,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
