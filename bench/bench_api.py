"""Queue API latency at 1k/10k/100k tickets, ticket-create throughput over HTTP,
and in-process SLA due-time computations per second.

    .venv/bin/python bench/bench_api.py [sqlite|postgres] [--max 100000]

Seeds tickets with bulk inserts (20% open, five teams), serves with
`herodesk serve --workers 2` and measures with keep-alive clients.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import load
from bench.common import Http, database_url, machine, percentiles, server, setup_django
from bench.load import raw_request

TEAMS = ["product-analytics", "feature-success", "monitoring", "pipeline", "infrastructure"]


def seed(upto: int, already: int) -> None:
    from herodesk.customers.models import Organization, Requester
    from herodesk.domain import sla
    from herodesk.domain.tiers import Tier
    from herodesk.teams.models import Team
    from herodesk.tickets.models import NO_DUE, Message, Ticket

    rng = random.Random(upto)
    teams = [Team.objects.get_or_create(slug=s, defaults={"name": s.title()})[0] for s in TEAMS]
    org, _ = Organization.objects.get_or_create(name="Bench Org", defaults={"plan": "teams"})
    requester, _ = Requester.objects.get_or_create(
        email="bench@bench.example", defaults={"organization": org}
    )
    calendar = teams[0].calendar()
    base = datetime(2025, 1, 1, tzinfo=UTC)
    batch: list[Ticket] = []
    for i in range(already, upto):
        created = base + timedelta(minutes=7 * i)
        tier = rng.choice([0, 1, 2, 3, 3, 3, 4, 5])
        open_ = i % 5 == 0
        t = Ticket(
            team=teams[i % 5],
            channel="email",
            tier=tier,
            subject=f"Bench ticket {i}",
            requester=requester,
            created_at=created,
            updated_at=created,
            status="open" if open_ else "closed",
            is_active=open_,
        )
        if open_:
            due = sla.due_times(calendar, created, sla.DEFAULT_TARGETS[Tier(tier)])
            t.sla_kind, t.sla_started_at = "first_response", created
            t.great_by, t.due_by, t.late_after = due.great_by, due.due_by, due.late_after
            t.sort_due = due.due_by
        else:
            t.sort_due = NO_DUE
        batch.append(t)
        if len(batch) == 5000:
            _flush(batch, Message, Ticket)
    _flush(batch, Message, Ticket)
    from django.db import connection

    if connection.vendor == "postgresql":  # what autovacuum would do after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _flush(batch: list, Message: type, Ticket: type) -> None:
    if not batch:
        return
    created = Ticket.objects.bulk_create(batch)
    if created[0].pk is None:  # backends that do not return ids
        created = list(Ticket.objects.order_by("-id")[: len(batch)])
    Message.objects.bulk_create(
        Message(ticket=t, kind="requester", body="Bench body", created_at=t.created_at)
        for t in created
    )
    batch.clear()


def queue_latency(port: int, token: str, rounds: int = 300) -> dict[str, float]:
    client = Http(port, token)
    samples = []
    for i in range(rounds):
        team = TEAMS[i % 5]
        status, _, elapsed = client.request("GET", f"/api/v1/queue?team={team}&limit=50")
        assert status == 200, status
        if i >= 20:  # warm-up
            samples.append(elapsed)
    return percentiles(samples)


def create_throughput(port: int, token: str, clients: int = 8, total: int = 3000) -> dict:
    """`total` ticket creates over `clients` keep-alive connections (bench/load.py)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    requests = [
        raw_request(
            "POST",
            "/api/v1/tickets",
            headers,
            json.dumps(
                {
                    "subject": f"Load test {j}",
                    "body": "Events are delayed.",
                    "team": TEAMS[j % 5],
                    "channel": "api",
                    "requester": {"email": f"load{j % 50}@bench.example", "name": "Load Tester"},
                }
            ).encode(),
        )
        for j in range(total)
    ]
    load.run(port, requests[:100], clients)  # warm-up: imports, connections, caches
    result = load.run(port, requests[100:], clients)
    errors = [s for s in result.statuses if s != 201]
    return {
        "creates_per_s": round(result.per_second),
        "errors": len(errors),
        **percentiles(result.latencies),
        "first_error": result.bodies[errors[0]][:200] if errors else None,
    }


def sla_rate(seconds: float = 3.0) -> dict[str, float]:
    from herodesk.domain import sla
    from herodesk.domain.business_hours import Calendar
    from herodesk.domain.tiers import Tier

    cal = Calendar.from_spec(
        "Europe/London",
        {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
        "GB",
        "ENG",
    )
    rng = random.Random(1)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    starts = [base + timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(10000)]
    targets = sla.DEFAULT_TARGETS[Tier.NORMAL]
    for s in starts:  # warm the calendar caches like a running server would be
        sla.due_times(cal, s, targets)
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for s in starts:
            sla.due_times(cal, s, targets)
        n += len(starts)
    return {"due_times_per_s": round(n / (time.perf_counter() - start))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", choices=["sqlite", "postgres"], nargs="?", default="sqlite")
    parser.add_argument("--max", type=int, default=100_000)
    args = parser.parse_args()
    url = database_url(args.db, "herodesk_bench_api")
    setup_django(url)
    from django.contrib.auth import get_user_model

    from herodesk.teams.actions import token_issue

    user = get_user_model().objects.create_superuser("bench", "bench@bench.example", "x" * 12)
    token = token_issue(user)[1]
    results: dict = {
        "machine": machine(),
        "db": args.db,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "queue": {},
    }
    done = 0
    for size in (1_000, 10_000, 100_000):
        if size > args.max:
            break
        seed(size, done)
        done = size
        with server(url) as port:
            results["queue"][size] = queue_latency(port, token)
        print(f"queue @ {size} tickets: {results['queue'][size]}", flush=True)
    with server(url) as port:
        results["create"] = create_throughput(port, token)
    print(f"create: {results['create']}", flush=True)
    results["sla"] = sla_rate()
    print(f"sla: {results['sla']}", flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
