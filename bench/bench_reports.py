"""Reports at scale: a year of a 100k-ticket team, and a /metrics scrape.

    .venv/bin/python bench/bench_reports.py [sqlite|postgres] [--tickets 100000] [--runs 30]

Seeds one team with `--tickets` tickets spread over 2025 (plus a second team
with a fifth as many, so the team filter matters), stored figures as the
actions would store them (3% reopened once), a weekly five-person rotation
with 30 overrides. Then times `reports.queries.report` for each group-by over
the whole year and a `/metrics` collection, in process (wall p50/p99, and CPU
p50: this process plus, on PostgreSQL, the database backend serving it, read
from /proc), then the CSV/JSON API and `/metrics` over HTTP. The load average
is printed with the figures: on a busy machine wall times mostly measure waits.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import Http, database_url, machine, percentiles, server, setup_django

YEAR = datetime(2025, 1, 1, tzinfo=UTC)
CHANNELS = ["email", "email", "slack", "github", "sentry", "community", "api"]
METRICS_TOKEN = "bench-metrics-token"


def _ticket(rng: random.Random, team, i: int, n: int):  # type: ignore[no-untyped-def]
    from herodesk.tickets.models import NO_DUE, Ticket

    created = YEAR + timedelta(seconds=365 * 86400 * i / n + rng.random() * 60)
    t = Ticket(
        team=team,
        channel=rng.choice(CHANNELS),
        tier=rng.choice([0, 1, 2, 3, 3, 3, 4, 5]),
        subject=f"Bench {i}",
        created_at=created,
        updated_at=created,
        sort_due=NO_DUE,
    )
    from herodesk.domain import reports as d

    fate = rng.random()
    if fate < 0.9:
        minutes = rng.expovariate(1 / 45)
        t.first_response_at = created + timedelta(minutes=minutes * 2.5)
        t.first_response_minutes = minutes
        t.first_response_grade = (
            "great"
            if minutes <= 15
            else "okay"
            if minutes <= 60
            else "slow"
            if minutes <= 480
            else "too_late"
        )
        t.breached = t.first_response_grade == "too_late"
        t.first_response_calendar_minutes = minutes * 2.5
        t.first_response_bucket = d.bucket(minutes)
        t.first_response_calendar_bucket = d.bucket(minutes * 2.5)
        if rng.random() < 0.5:
            t.next_replies = rng.randrange(1, 4)
            t.next_reply_minutes = sum(rng.expovariate(1 / 60) for _ in range(t.next_replies))
            t.next_reply_calendar_minutes = t.next_reply_minutes * 2.5
    if fate < 0.85 and created < YEAR + timedelta(days=360):
        t.status, t.is_active = "closed", False
        t.solved_at = created + timedelta(minutes=rng.expovariate(1 / 900) * 2)
        t.closed_at = t.solved_at + timedelta(days=4)
        t.resolution_minutes = rng.expovariate(1 / 900)
        t.resolution_bucket = d.bucket(t.resolution_minutes)
    else:
        t.status = "open"
    return t


def seed(n: int) -> object:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from herodesk.rotations import actions as rotation_actions
    from herodesk.teams.models import Membership, Person, Team
    from herodesk.tickets.models import Reopening, Ticket

    rng = random.Random(n)
    team = Team.objects.create(slug="pipeline", name="Pipeline", time_zone="Europe/London")
    other = Team.objects.create(slug="monitoring", name="Monitoring")
    people = []
    for name in ["ada", "bo", "cy", "di", "ed"]:
        user = get_user_model().objects.create_user(name, first_name=name.title())
        people.append(Person.objects.create(user=user))
        Membership.objects.create(team=team, person=people[-1])
    rotation_actions.rotation_set(
        team, members=people, start=YEAR, actor="bench", now=YEAR - timedelta(days=1)
    )
    for k in range(30):
        start = YEAR + timedelta(days=12 * k + 2, hours=3)
        rotation_actions.override_create(
            team,
            person=people[k % 5],
            start=start,
            end=start + timedelta(hours=30),
            actor="bench",
            now=YEAR - timedelta(days=1),
            notify=False,
        )
    for which, count in ((team, n), (other, n // 5)):
        batch = []
        for i in range(count):
            batch.append(_ticket(rng, which, i, count))
            if len(batch) == 5000:
                Ticket.objects.bulk_create(batch)
                batch = []
        Ticket.objects.bulk_create(batch)
    reopened = []
    for t in Ticket.objects.filter(solved_at__isnull=False).only("pk", "solved_at").iterator():
        if rng.random() < 0.03:  # solved once before, reopened a day later
            first = t.solved_at - timedelta(days=2)
            reopened.append(
                Reopening(ticket=t, resolved_at=first, reopened_at=first + timedelta(days=1))
            )
    Reopening.objects.bulk_create(reopened, batch_size=5000)
    with connection.cursor() as cursor:  # as autovacuum would have (index-only scans)
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return team


def _backend_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL backend serving this connection
    (0 on SQLite, whose work is this process's own)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the server runs elsewhere: process CPU only
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(fn, runs: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    fn()  # warm
    samples, cpu = [], []
    for _ in range(runs):
        t0, c0, d0 = time.perf_counter(), time.process_time(), _backend_cpu()
        fn()
        samples.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0 + _backend_cpu() - d0)
    # CPU time (this process + the database backend) is the cost without the
    # waits of a busy shared machine; /proc counts in clock ticks (10 ms).
    return {**percentiles(samples), "cpu_p50_ms": round(sorted(cpu)[len(cpu) // 2] * 1000, 1)}


def time_reports(team: object, runs: int) -> dict[str, dict[str, float]]:
    from prometheus_client.exposition import generate_latest
    from prometheus_client.registry import CollectorRegistry

    from herodesk.reports import queries
    from herodesk.reports.metrics import DatabaseCollector

    end = YEAR + timedelta(days=365)
    now = end + timedelta(days=10)
    out = {}
    for group_by in queries.GROUP_BYS:
        out[group_by] = _timed(
            lambda g=group_by: queries.report(team, YEAR, end, g, now=now),  # type: ignore[arg-type]
            runs,
        )
    registry = CollectorRegistry()
    registry.register(DatabaseCollector())
    out["metrics_collect"] = _timed(lambda: generate_latest(registry), runs)
    return out


def time_http(url: str, runs: int) -> dict[str, dict[str, float]]:
    from django.contrib.auth import get_user_model

    from herodesk.teams.actions import token_issue

    admin = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )[0]
    token = token_issue(admin, "bench", actor="bench")[1]
    q = "team=pipeline&start=2025-01-01T00:00:00Z&end=2026-01-01T00:00:00Z&group_by=week"
    out = {}
    with server(url) as port:
        http = Http(port, token)
        for name, path in (
            ("api_json_week", f"/api/v1/reports?{q}"),
            ("api_csv_week", f"/api/v1/reports.csv?{q}"),
        ):
            samples = []
            for _ in range(runs + 2):
                status, _, took = http.request("GET", path)
                assert status == 200, (path, status)
                samples.append(took)
            out[name] = percentiles(samples[2:])
        http.headers["Authorization"] = f"Bearer {METRICS_TOKEN}"
        samples = []
        for _ in range(runs + 2):
            status, body, took = http.request("GET", "/metrics")
            assert status == 200 and b"herodesk_open_items" in body, status
            samples.append(took)
        out["metrics_scrape"] = percentiles(samples[2:])
    return out


def _existing(db: str) -> str:
    name = "herodesk_bench_reports" + os.environ.get("HERODESK_BENCH_TAG", "")
    if db == "sqlite":
        return f"sqlite:////tmp/herodesk-bench/{name}.sqlite3"
    base = os.environ.get("HERODESK_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    return f"{base}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", choices=["sqlite", "postgres"], nargs="?", default="sqlite")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the last run's database")
    args = parser.parse_args()
    os.environ["HERODESK_METRICS_TOKEN"] = METRICS_TOKEN
    if args.reuse:
        url = _existing(args.db)
        setup_django(url)
        from herodesk.teams.models import Team

        team, seeded = Team.objects.get(slug="pipeline"), 0.0
    else:
        url = database_url(args.db, "herodesk_bench_reports")
        setup_django(url)
        t0 = time.perf_counter()
        team = seed(args.tickets)
        seeded = time.perf_counter() - t0
    result = {
        "db": args.db,
        "tickets": args.tickets,
        "seed_s": round(seeded, 1),
        "load_average_before": os.getloadavg(),
        "report_in_process": time_reports(team, args.runs),
        "load_average_after": os.getloadavg(),
        "machine": machine(),
    }
    print(json.dumps(result, indent=2), flush=True)
    if not args.no_http:
        print(json.dumps({"http": time_http(url, args.runs)}, indent=2))


if __name__ == "__main__":
    main()
