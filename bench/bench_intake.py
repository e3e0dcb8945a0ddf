"""Intake throughput: signed GitHub `issues.opened` deliveries over HTTP.

    .venv/bin/python bench/bench_intake.py [sqlite|postgres] [--deliveries 3000] [--clients 8]

1. accept: N signed deliveries (distinct issues) POSTed to /hooks/github of
   `herodesk serve --workers 2` by C keep-alive connections (bench/load.py) → accepted/s and
   accept latency percentiles (store raw + enqueue, 200).
2. process: then one `herodesk worker` drains the queue → processed/s until
   every delivery is a routed T4 ticket in the team's queue.
Targets (SQLite): ≥ 500 accepted/s, p99 ≤ 50 ms, ≥ 300 processed/s.

HERODESK_BENCH_SETTINGS=module runs the server and worker with another
settings module (e.g. to compare SQLite connection policies).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import load
from bench.common import BIN, database_url, machine, percentiles, server, setup_django
from bench.load import raw_request

SECRET = "bench-github-secret"
REPO = "Codertocat/Hello-World"
DRAIN_TIMEOUT = 600


def example_payload() -> dict[str, Any]:
    """GitHub's documented issues.opened example when the npm cache has it, else its shape."""
    index = (
        Path(os.environ.get("HERODESK_TEST_CACHE") or Path.home() / ".cache/herodesk-tests")
        / "octokit-webhooks-examples-7.6.1/package/api.github.com/index.json"
    )
    if index.exists():
        for entry in json.loads(index.read_text()):
            if entry["name"] == "issues":
                return next(e for e in entry["examples"] if e.get("action") == "opened")
    user = {"login": "Codertocat", "id": 21031067, "type": "User", "site_admin": False}
    return {
        "action": "opened",
        "issue": {
            "id": 444500041,
            "number": 1,
            "title": "Spelling error in the README file",
            "user": user,
            "labels": [],
            "state": "open",
            "comments": 0,
            "author_association": "NONE",
            "body": "It looks like you accidently spelled 'commit' with two 't's." * 20,
            "html_url": "https://github.com/Codertocat/Hello-World/issues/1",
        },
        "repository": {"id": 186853002, "full_name": REPO, "owner": user, "private": False},
        "sender": user,
    }


def deliveries(n: int) -> list[tuple[bytes, dict[str, str]]]:
    base = example_payload()
    out = []
    for i in range(n):
        payload = copy.deepcopy(base)
        issue = payload["issue"]
        issue["number"], issue["id"], issue["author_association"] = (
            10_000 + i,
            9_000_000 + i,
            "NONE",
        )
        issue["html_url"] = f"https://github.com/{REPO}/issues/{10_000 + i}"
        body = json.dumps(payload).encode()
        signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        out.append(
            (
                body,
                {
                    "Content-Type": "application/json",
                    "X-GitHub-Event": "issues",
                    "X-GitHub-Delivery": str(uuid.uuid4()),
                    "X-GitHub-Hook-ID": "1",
                    "X-Hub-Signature-256": f"sha256={signature}",
                },
            )
        )
    return out


def configure() -> None:
    from django.utils import timezone

    from herodesk.intake.models import GitHubRepository, RoutingRule
    from herodesk.teams.models import Team

    team, _ = Team.objects.get_or_create(
        slug="product-analytics", defaults={"name": "Product Analytics"}
    )
    GitHubRepository.objects.get_or_create(full_name=REPO.lower())
    now = timezone.now()
    RoutingRule.objects.create(
        conditions=[{"field": "repository", "op": "equals", "value": REPO.lower()}],
        team=team,
        created_at=now,
        updated_at=now,
    )


def send_all(port: int, work: list[tuple[bytes, dict[str, str]]], clients: int) -> dict[str, Any]:
    """POST every delivery over `clients` keep-alive connections (bench/load.py)."""
    requests = [raw_request("POST", "/hooks/github", headers, body) for body, headers in work]
    result = load.run(port, requests, clients)
    errors = [s for s in result.statuses if s != 200]
    return {
        "accepted_per_s": round(result.per_second, 1),
        "errors": len(errors),
        **percentiles(result.latencies),
    }


def drain(url: str, total: int) -> dict[str, Any]:
    from django.db.models import Max, Min

    from herodesk.intake.models import Delivery
    from herodesk.tickets.models import Ticket

    env = {**os.environ, "DATABASE_URL": url, "HERODESK_LOG_LEVEL": "WARNING"}
    start = time.perf_counter()
    worker = subprocess.Popen(
        [
            str(BIN / "herodesk"),
            "worker",
            "--no-scheduler",
            "--interval",
            "0.2",
            "--verbosity",
            "0",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - start < DRAIN_TIMEOUT:
            if not Delivery.objects.filter(status="accepted").exists():
                break
            time.sleep(0.2)
        wall = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(30)
    span = Delivery.objects.aggregate(first=Min("processed_at"), last=Max("processed_at"))
    busy = (span["last"] - span["first"]).total_seconds() if span["first"] else 0.0
    done = Delivery.objects.filter(status="processed").count()
    routed = Ticket.objects.filter(channel="github", team__slug="product-analytics", tier=4).count()
    return {
        "processed": done,
        "routed_t4_tickets": routed,
        "failed": Delivery.objects.filter(status="failed").count(),
        "processed_per_s_incl_startup": round(done / wall, 1),
        "processed_per_s": round(done / busy, 1) if busy else None,
        "of": total,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", nargs="?", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--deliveries", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    os.environ["HERODESK_GITHUB_SECRET"] = SECRET
    url = database_url(args.db, "herodesk_bench_intake")
    setup_django(url)
    configure()
    work = deliveries(args.deliveries)
    if os.environ.get("HERODESK_BENCH_SETTINGS"):
        os.environ["DJANGO_SETTINGS_MODULE"] = os.environ["HERODESK_BENCH_SETTINGS"]
    with server(url, workers=2) as port:
        send_all(port, work[:50], 2)  # warm up the workers (imports, connections)
        accepted = send_all(port, work[50:], args.clients)
    processed = drain(url, args.deliveries)
    print(
        json.dumps(
            {
                "bench": "intake",
                "db": args.db,
                "machine": machine(),
                "deliveries": args.deliveries,
                "clients": args.clients,
                "accept": accepted,
                "process": processed,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
