"""Search, the queue page and creates under concurrency (issue 17).

    .venv/bin/python bench/bench_search.py [sqlite|postgres] [--part search,queue,create,growth]
        [--workers 2]  (server processes for the create part)
        [--sizes 1000,10000,100000] [--budget 20]

Seeds tickets with bulk inserts (five teams, 20 % open, three messages each,
text from bench/corpus.py; the hero `hera` is assigned 30 % of all tickets),
serves with `herodesk serve --workers 2` and times, one request at a time over
a keep-alive connection:

- search, for a word in no ticket, in 0.1 %, 1 % and 30 % of tickets and for a
  two-word phrase: the web search page (`/search/?q=`), the API
  (`/api/v1/tickets?q=`) and the queue filter box (`/queue/<team>/?q=`), at
  10k and 100k tickets;
- the queue page (`/queue/<team>/`, tabs with counts) at 1k and 100k, in
  process (Django's handler, no HTTP server) and over HTTP;
- ticket creates over HTTP at 4 and 16 connections on a fresh database
  (interleaved 4, 16, 4, 16, 4, 16; medians);
- `--part growth`: the search growth 10k → 100k measured side by side, a
  copy of the database at each size served at once and the cases timed in
  alternating bursts (`growth_round`), so the VM's drift between the 10k and
  the 100k phase does not enter the ratio (needs `--sizes` to reach 100000).

Targets (issue 17): search p50 ≤ 30 ms and p99 ≤ 100 ms at 100k, growth
10k → 100k ≤ 1.5×; queue page p50 ≤ 20 ms at 100k, growth 1k → 100k ≤ 1.3×;
creates at 16 connections ≥ 90 % of the rate at 4.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import load
from bench.bench_queue_page import Browser, _analyze, _session
from bench.common import _ticks as ticks  # /proc ticks of one process
from bench.common import (
    connections_per_worker,
    database_url,
    machine,
    percentiles,
    served,
    server,
    setup_django,
    tree_cpu_seconds,
)
from bench.corpus import CASES, Corpus
from bench.load import raw_request

# Among the first 1,000 tickets every 20th (all in the first team) is open and the
# hero's, so at 1k the team's queue and "Mine" show a full page of 50 like at
# 100k: the 1k → 100k growth then measures the table, not 40 rows against 50.
EQUAL_ROWS_UPTO = 1000
TEAMS = ["pipeline", "product-analytics", "feature-success", "monitoring", "infrastructure"]
HERO = "hera"


def seed_base() -> dict:
    """Teams, people (the hero in the first team), 200 organizations, 2,000 requesters."""
    from django.contrib.auth import get_user_model

    from herodesk.customers.models import Organization, Requester
    from herodesk.teams.actions import token_issue
    from herodesk.teams.models import Membership, Person, Team

    teams = [Team.objects.create(slug=s, name=s.replace("-", " ").title()) for s in TEAMS]
    users = []
    for i, name in enumerate(("hera", "tim", "lena", "uma", "omar")):
        user = get_user_model().objects.create_user(
            name, f"{name}@bench.example", "x" * 12, first_name=name.capitalize()
        )
        Membership.objects.create(team=teams[i % 5], person=Person.objects.create(user=user))
        users.append(user)
    plans = ["free", "paid", "teams", "scale", "enterprise"]
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Org {i} {w}", plan=plans[i % 5])
        for i, w in enumerate(Corpus().vocabulary[200:400])
    )
    if orgs[0].pk is None:
        orgs = list(Organization.objects.order_by("id"))
    Requester.objects.bulk_create(
        Requester(email=f"r{i}@bench.example", name=f"Req {i}", organization=orgs[i % 200])
        for i in range(2000)
    )
    return {
        "teams": teams,
        "users": users,
        "requesters": list(Requester.objects.order_by("id")),
        "token": token_issue(users[0])[1],
        "cookie": _session(users[0]),
    }


def seed_tickets(base: dict, upto: int, already: int, corpus: Corpus) -> None:
    from herodesk.domain import sla
    from herodesk.domain.tiers import Tier
    from herodesk.tickets.models import NO_DUE, Ticket

    rng = random.Random(upto)
    calendar = base["teams"][0].calendar()
    now = datetime.now(UTC)
    batch: list[tuple[Ticket, tuple[str, str, str]]] = []
    for i in range(already, upto):
        text = corpus.ticket(i)
        created = now - timedelta(minutes=5 * (upto - i) + rng.randint(0, 4))
        tier = rng.choice([0, 1, 2, 3, 3, 3, 4, 5, 5])
        is_open = rng.random() < 0.2
        assignee = base["users"][0] if rng.random() < 0.3 else rng.choice(base["users"] + [None])
        channel = rng.choice(["email", "slack", "bug_report", "github"])
        if i < EQUAL_ROWS_UPTO and i % 20 == 0:  # the first team's 1k queue fills a page
            is_open, assignee = True, base["users"][0]
        t = Ticket(
            team=base["teams"][i % 5], channel=channel,
            tier=tier, subject=text.subject, requester=rng.choice(base["requesters"]),
            created_at=created, updated_at=created, status="open" if is_open else "closed",
            is_active=is_open, assignee=assignee, sort_due=NO_DUE,
        )  # fmt: skip
        if is_open:
            due = sla.due_times(calendar, created, sla.DEFAULT_TARGETS[Tier(tier)])
            t.sla_kind, t.sla_started_at = "first_response", created
            t.great_by, t.due_by, t.late_after = due.great_by, due.due_by, due.late_after
            t.sort_due = due.due_by
        batch.append((t, text.bodies))
        if len(batch) == 5000:
            _flush(batch, base["users"][1])
    _flush(batch, base["users"][1])


def _flush(batch: list, agent: object) -> None:
    from herodesk.tickets.models import Message, Ticket

    if not batch:
        return
    created = Ticket.objects.bulk_create(t for t, _ in batch)
    if created[0].pk is None:
        created = list(Ticket.objects.order_by("-id")[: len(batch)])[::-1]
    messages = []
    one, two = timedelta(minutes=1), timedelta(minutes=2)
    for t, (first, answer, again) in zip(created, (b for _, b in batch), strict=True):
        at, who = t.created_at, t.requester_id
        messages += [
            Message(ticket=t, kind="requester", requester_id=who, body=first, created_at=at),
            Message(ticket=t, kind="public", author=agent, body=answer, created_at=at + one),
            Message(ticket=t, kind="requester", requester_id=who, body=again, created_at=at + two),
        ]  # fmt: skip
    Message.objects.bulk_create(messages, batch_size=5000)
    batch.clear()


def build_index() -> str:
    """Build the search index for bulk-loaded rows, when this version has one."""
    from django.core.management import call_command, get_commands

    if "reindex" not in get_commands():
        return "no index (LIKE scan)"
    start = time.perf_counter()
    call_command("reindex", verbosity=0)
    return f"reindex {time.perf_counter() - start:.1f} s"


def _vacuum() -> None:
    """PostgreSQL: VACUUM ANALYZE the bulk-loaded tables, as autovacuum does after
    inserts (`autovacuum_vacuum_insert_threshold`, PostgreSQL 13+) on a running
    desk: it sets the visibility map, without which an index-only scan (the
    queue's tab counts) still reads every row's heap page."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) tickets_ticket, tickets_message, ticket_search")


def timed(client: Browser, path: str, budget: float, rounds: int = 200) -> dict:
    """Requests one at a time until `rounds` or `budget` seconds (at least 10 samples)."""
    for _ in range(3):  # warm-up
        status, body, _ = client.get(path)
        assert status == 200, (path, status, body[:300])
    samples: list[float] = []
    start = time.perf_counter()
    while len(samples) < rounds and (len(samples) < 10 or time.perf_counter() - start < budget):
        status, body, elapsed = client.get(path)
        assert status == 200, (path, status, body[:300])
        samples.append(elapsed)
    return percentiles(samples)


def api_hits(client: Browser, q: str) -> int:
    status, body, _ = client.get(f"/api/v1/tickets?q={quote(q)}&limit=50")
    assert status == 200, body[:300]
    return len(json.loads(body)["items"])


def in_process(q: str, rounds: int = 50, limit: int = 50) -> dict:
    """The search function itself (no HTTP): wall and CPU time per call, ms."""
    from herodesk.tickets import search

    search.search(q, limit=limit)  # warm-up
    walls, cpu = [], time.process_time()
    for _ in range(rounds):
        start = time.perf_counter()
        page = search.search(q, limit=limit)
        walls.append(time.perf_counter() - start)
    cpu_ms = (time.process_time() - cpu) * 1000 / rounds
    return {**percentiles(walls), "cpu_ms": round(cpu_ms, 2), "capped": page.capped}


def search_round(port: int, base: dict, budget: float) -> dict:
    from django.core.management import get_commands

    web = Browser(port, base["cookie"])
    api = Browser(port, "")
    api.headers = {"Authorization": f"Bearer {base['token']}"}
    out: dict = {}
    for case, q in CASES.items():
        enc = quote(q)
        out[case] = {
            "api_hits_page1": api_hits(api, q),
            "web": timed(web, f"/search/?q={enc}", budget),
            "api": timed(api, f"/api/v1/tickets?q={enc}&limit=50", budget),
            "queue_box": timed(web, f"/queue/{TEAMS[0]}/?q={enc}", budget),
            # Like with like across sizes: at most 10 rows at 10k and 100k (the
            # 0.1 % word is in 10 tickets at 10k, in 100 at 100k).
            "api_10_rows": timed(api, f"/api/v1/tickets?q={enc}&limit=10", budget),
        }
        print(f"  search {case} {q}: {json.dumps(out[case])}", flush=True)
    if "reindex" in get_commands():  # this version has the search function
        # after the HTTP cases: a keep-alive connection left idle meanwhile gets closed
        for case, q in CASES.items():
            out[case]["in_process"] = in_process(q)
            out[case]["in_process_10_rows"] = in_process(q, limit=10)
            print(f"  in process {case}: {json.dumps(out[case]['in_process'])}", flush=True)
            print(f"  in process, 10 rows: {json.dumps(out[case]['in_process_10_rows'])}")
    return out


GROWTH_SIZES = (10_000, 100_000)


def snapshot(url: str, size: int) -> str:
    """A copy of the benchmark database as it is now, for `--part growth`.
    Both sizes are measured on copies made the same way: SQLite's `VACUUM
    INTO` (a compacted file), PostgreSQL's `CREATE DATABASE … TEMPLATE` (its
    statistics and visibility map included)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        path = f"{url.removeprefix('sqlite:///')}.{size}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [path])
        return f"sqlite:///{path}"
    import psycopg

    base, name = url.rsplit("/", 1)
    copy = f"{name}_{size}"
    connection.close()  # a template database takes no other sessions
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    return f"{base}/{copy}"


def rows_shown(body: bytes) -> int:
    """The result rows a page answered: the API's items, the queue's and the
    search page's table rows. The growth compares pages of equal work only
    where these are equal (the phrase's queue box shows 20 rows at 10k and a
    full page of 50 at 100k)."""
    if body.startswith(b"{"):
        return len(json.loads(body)["items"])
    return body.count(b'<tr data-id="') + body.count(b'<tr data-href="')


def growth_round(urls: dict[int, str], base: dict, rounds: int = 8, per: int = 25) -> dict:
    """Growth 10k → 100k, measured fairly on a VM whose speed drifts: both sizes
    served at once (a server each), every case timed in alternating bursts of
    `per` requests (10k, 100k, 100k, 10k, …), `rounds` bursts per size. The
    ratio of the medians then compares samples taken minutes apart at most,
    not a 10k phase against a 100k phase measured ten minutes later."""
    with server(urls[GROWTH_SIZES[0]]) as small, server(urls[GROWTH_SIZES[1]]) as large:
        ports = {GROWTH_SIZES[0]: small, GROWTH_SIZES[1]: large}
        web = {size: Browser(port, base["cookie"]) for size, port in ports.items()}
        api = {size: Browser(port, "") for size, port in ports.items()}
        for client in api.values():
            client.headers = {"Authorization": f"Bearer {base['token']}"}
        out: dict = {}
        for case, q in CASES.items():
            enc = quote(q)
            paths = {
                "web": (web, f"/search/?q={enc}"),
                "api": (api, f"/api/v1/tickets?q={enc}&limit=50"),
                "queue_box": (web, f"/queue/{TEAMS[0]}/?q={enc}"),
                "api_10_rows": (api, f"/api/v1/tickets?q={enc}&limit=10"),
            }
            out[case] = {}
            for name, (clients, path) in paths.items():
                samples: dict[int, list[float]] = {size: [] for size in ports}
                shown: dict[int, int] = {}
                for size, client in clients.items():  # warm-up
                    for _ in range(3):
                        status, body, _ = client.get(path)
                        assert status == 200, (path, status, body[:300])
                    shown[size] = rows_shown(body)
                order = list(ports)
                for r in range(rounds * 2):
                    size = order[(r + r // 2) % 2]  # 10k, 100k, 100k, 10k, …
                    for _ in range(per):
                        status, body, elapsed = clients[size].get(path)
                        assert status == 200, (path, status, body[:300])
                        samples[size].append(elapsed)
                row = {
                    f"{size // 1000}k": {**percentiles(samples[size]), "rows": shown[size]}
                    for size in ports
                }
                small_p50, large_p50 = (row[f"{s // 1000}k"]["p50_ms"] for s in GROWTH_SIZES)
                row["growth"] = round(large_p50 / small_p50, 2)
                out[case][name] = row
            print(f"  growth {case} {q}: {json.dumps(out[case])}", flush=True)
    return out


def queue_round(port: int, base: dict, budget: float) -> dict:
    from django.test import Client

    from herodesk.teams.models import Team  # noqa: F401  (Django is set up)

    client = Client()
    client.force_login(base["users"][0])
    samples, cpu, server = [], 0.0, 0.0
    for i in range(210):
        if i == 10:  # after the warm-up
            cpu, server = time.process_time(), _backend_cpu()
        start = time.perf_counter()
        res = client.get(f"/queue/{TEAMS[0]}/")
        if i >= 10:
            samples.append(time.perf_counter() - start)
        assert res.status_code == 200, res.status_code
    cpu, server = time.process_time() - cpu, _backend_cpu() - server
    web = Browser(port, base["cookie"])
    out = {
        "rows": _queue_rows(client),
        "in_process": percentiles(samples),
        # CPU per page: this process (Django) and the PostgreSQL backend serving
        # it (0 on SQLite, whose work is in this process); less noisy than wall time.
        "cpu_ms_per_page": {
            "process": round(cpu * 1000 / len(samples), 2),
            "postgres_backend": round(server * 1000 / len(samples), 2),
        },
        "statements_ms": _statements(client, f"/queue/{TEAMS[0]}/"),
        "http_team": timed(web, f"/queue/{TEAMS[0]}/", budget),
        "http_mine": timed(web, f"/queue/{TEAMS[0]}/?view=mine", budget),
    }
    print(f"  queue page: {json.dumps(out)}", flush=True)
    return out


def _backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same host)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    return ticks(pid) / os.sysconf("SC_CLK_TCK")


def _queue_rows(client: object) -> dict:
    """Rows shown by the team view and "Mine" (both must be a full page of 50 at
    every size, or growth compares different pages)."""
    import re

    rows = {}
    for view in ("team", "mine"):
        body = client.get(f"/queue/{TEAMS[0]}/?view={view}").content.decode()  # type: ignore[attr-defined]
        rows[view] = len(re.findall(r'name="ticket" value="', body))
    assert min(rows.values()) == 50, rows
    return rows


def _statements(client: object, path: str, rounds: int = 30) -> list[dict]:
    """Each SQL statement of one page: median ms over `rounds` page views (what
    grows with the table, statement by statement)."""
    from django.db import connection

    times: list[list[float]] = []
    sqls: list[str] = []

    def timer(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            times[-1].append((time.perf_counter() - start) * 1000)
            sqls.append(sql)

    for _ in range(rounds):
        times.append([])
        sqls.clear()
        with connection.execute_wrapper(timer):
            client.get(path)  # type: ignore[attr-defined]
    return [
        {"ms": round(statistics.median(t[i] for t in times), 3), "sql": sql[:90]}
        for i, sql in enumerate(sqls)
    ]


def creates(
    runs: int = 3, total: int = 3000, workers: int | None = 2, threads: int | None = None
) -> dict:
    """Creates over HTTP at 4 and 16 connections, interleaved, on a fresh database
    (Django already set up on it). Each run also records the server's CPU time per
    create and how the keep-alive connections were spread over the worker
    processes: Granian's workers accept from one socket, and the first to wake
    takes a burst of new connections, so 4 connections often all land on one
    worker while 16 spread over both (bench/RESULTS.md, issue 17 §4)."""
    from django.contrib.auth import get_user_model

    from bench import bench_api
    from herodesk.teams.actions import token_issue
    from herodesk.teams.models import Team

    for slug in bench_api.TEAMS:
        Team.objects.create(slug=slug, name=slug.title())
    user = get_user_model().objects.create_superuser("bench", "bench@bench.example", "x" * 12)
    token = token_issue(user)[1]
    url = os.environ["DATABASE_URL"]
    rates: dict[int, list[dict]] = {4: [], 16: []}
    with served(url, workers, threads) as (port, pid):
        for _ in range(runs):
            for clients in (4, 16):
                spread: list[list[int]] = []
                done = threading.Event()
                sampler = threading.Thread(
                    target=_sample_spread, args=(port, clients, spread, done)
                )
                cpu = tree_cpu_seconds(pid)
                sampler.start()
                result = bench_api.create_throughput(port, token, clients=clients, total=total)
                done.set()
                sampler.join()
                result["server_cpu_ms_per_create"] = round(
                    (tree_cpu_seconds(pid) - cpu) * 1000 / total, 2
                )
                result["connections_per_worker"] = max(spread, key=spread.count, default=[])
                result["load"] = round(os.getloadavg()[0], 1)
                rates[clients].append(result)
                print(f"  creates @ {clients} connections: {result}", flush=True)
    out: dict = {
        c: {
            "creates_per_s": statistics.median(r["creates_per_s"] for r in rs),
            "runs": [r["creates_per_s"] for r in rs],
            "p99_ms": statistics.median(r["p99_ms"] for r in rs),
            "errors": sum(r["errors"] for r in rs),
            "server_cpu_ms_per_create": [r["server_cpu_ms_per_create"] for r in rs],
            "connections_per_worker": [r["connections_per_worker"] for r in rs],
        }
        for c, rs in rates.items()
    }
    out["ratio_16_to_4"] = round(out[16]["creates_per_s"] / out[4]["creates_per_s"], 3)
    with served(url, workers, threads) as (port, pid):
        # The server's shape also decides how many reads run at once (one process
        # on SQLite: the GIL); the queue API over the tickets just created.
        out["queue_reads"] = queue_reads(port, token)
    print(f"  queue API reads @ 4 connections: {out['queue_reads']}", flush=True)
    return out


def queue_reads(port: int, token: str, clients: int = 4, total: int = 2000) -> dict:
    """`total` GETs of the queue API (a page of 50) over `clients` connections."""
    from bench import bench_api

    headers = {"Authorization": f"Bearer {token}"}
    requests = [
        raw_request("GET", f"/api/v1/tickets?team={bench_api.TEAMS[j % 5]}&limit=50", headers)
        for j in range(total)
    ]
    load.run(port, requests[:100], clients)  # warm-up
    result = load.run(port, requests[100:], clients)
    errors = [s for s in result.statuses if s != 200]
    return {
        "reads_per_s": round(result.per_second),
        "errors": len(errors),
        **percentiles(result.latencies),
        "first_error": result.bodies[errors[0]][:200] if errors else None,
    }


def _sample_spread(port: int, clients: int, into: list[list[int]], done: threading.Event) -> None:
    """Sample the connections per worker while all of a run's connections are open."""
    while not done.wait(0.2):
        seen = connections_per_worker(port)
        if sum(seen) >= clients:
            into.append(seen)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", choices=["sqlite", "postgres"], nargs="?", default="sqlite")
    parser.add_argument("--part", default="search,queue,create,growth")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per timed case")
    parser.add_argument(
        "--no-vacuum", dest="vacuum", action="store_false",
        help="PostgreSQL: skip the VACUUM after seeding (visibility map unset, as before)",
    )  # fmt: skip
    parser.add_argument(
        "--workers",
        default="2",
        help="server processes for --part create ('auto': what `herodesk serve` picks)",
    )
    parser.add_argument("--threads", help="threads per server process for --part create")
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs for --part create")
    args = parser.parse_args()
    parts = set(args.part.split(","))
    sizes = [int(s) for s in args.sizes.split(",")]
    if "growth" in parts and not set(GROWTH_SIZES) <= set(sizes):
        parser.error(
            f"--part growth needs --sizes to include {GROWTH_SIZES[0]} and {GROWTH_SIZES[1]}"
        )
    results: dict = {"machine": machine(), "db": args.db, "date": str(datetime.now(UTC).date())}
    results["loadavg_start"] = os.getloadavg()
    if parts == {"create"}:
        setup_django(database_url(args.db, "herodesk_bench_creates"))
        workers = None if args.workers == "auto" else int(args.workers)
        threads = int(args.threads) if args.threads else None
        results["create"] = creates(runs=args.runs, workers=workers, threads=threads)
        print(json.dumps(results))
        return
    # HERODESK_BENCH_DB: another name, so two checkouts can bench at once.
    url = database_url(args.db, os.environ.get("HERODESK_BENCH_DB", "herodesk_bench_search"))
    setup_django(url)
    copies: dict[int, str] = {}
    if parts & {"search", "queue", "growth"}:
        base, corpus, done = seed_base(), Corpus(), 0
        for size in sizes:
            start = time.perf_counter()
            seed_tickets(base, size, done, corpus)
            done = size
            index = build_index()
            _analyze()
            if args.vacuum:
                _vacuum()
            took = time.perf_counter() - start
            print(f"{size} tickets seeded in {took:.0f} s; {index}", flush=True)
            if "growth" in parts and size in GROWTH_SIZES:
                copies[size] = snapshot(url, size)
            if not parts & {"search", "queue"}:
                continue
            with server(url) as port:
                if "queue" in parts and size in (1_000, 100_000):
                    results[f"queue@{size}"] = queue_round(port, base, args.budget)
                if "search" in parts and size in (10_000, 100_000):
                    results[f"search@{size}"] = search_round(port, base, args.budget)
    if "growth" in parts:
        results["growth"] = growth_round(copies, base)
    if "create" in parts:  # a fresh database, so in its own process
        import subprocess

        cmd = [sys.executable, __file__, args.db, "--part", "create"]
        cmd += ["--workers", args.workers, "--runs", str(args.runs)]
        cmd += ["--threads", args.threads] if args.threads else []
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        print(out, end="", flush=True)
        results["create"] = json.loads(out.strip().splitlines()[-1])["create"]
    results["loadavg_end"] = os.getloadavg()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
