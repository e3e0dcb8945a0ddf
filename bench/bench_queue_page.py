"""The web queue page at 10k open tickets: server time and bytes transferred.

    .venv/bin/python bench/bench_queue_page.py [sqlite|postgres] [--open 10000]

Seeds one team with N open tickets (every tier, 200 requesters in 20
organizations, a third assigned) plus as many closed ones, serves with
`herodesk serve --workers 2` and times GET /queue/<team>/ as a logged-in hero
over a keep-alive connection (loopback, so the figure is the server's time).
Also times the page in process (Django's handler, no HTTP server: the
figure least disturbed by a busy machine), the other views, a filter and a
search, and sums the bytes of the
page and its assets (CSS, htmx, desk.js) as sent, and gzipped for reference.
Targets (issue 5): p50 ≤ 30 ms; page + assets ≤ 150 KB.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import random
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import database_url, machine, percentiles, server, setup_django

TEAM = "pipeline"


def seed(open_count: int) -> str:
    """Seed the data; returns a session cookie of the hero."""
    from herodesk.customers.models import Organization, Requester
    from herodesk.teams.models import Team

    team = Team.objects.create(slug=TEAM, name="Pipeline")
    users = _people(team)
    plans = ["free", "paid", "teams", "scale", "enterprise"]
    orgs = [Organization.objects.create(name=f"Org {i}", plan=plans[i % 5]) for i in range(20)]
    requesters = [
        Requester.objects.create(
            email=f"r{i}@bench.example", name=f"Req {i}", organization=orgs[i % 20]
        )
        for i in range(200)
    ]
    _tickets(team, users, requesters, open_count)
    _analyze()
    return _session(users[0])


def _people(team: object) -> list:
    from django.contrib.auth import get_user_model

    from herodesk.teams.models import Membership, Person

    users = []
    for name in ("hera", "tim", "lena", "uma"):
        user = get_user_model().objects.create_user(
            name, f"{name}@bench.example", "x" * 12, first_name=name.capitalize()
        )
        Membership.objects.create(team=team, person=Person.objects.create(user=user))
        users.append(user)
    return users


def _tickets(team: object, users: list, requesters: list, open_count: int) -> None:
    """`open_count` open tickets (running clocks) and as many closed ones."""
    from herodesk.domain import sla
    from herodesk.domain.tiers import Tier
    from herodesk.tickets.models import NO_DUE, Message, Ticket

    rng = random.Random(open_count)
    calendar = team.calendar()  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    batch: list[Ticket] = []
    for i in range(2 * open_count):
        created = now - timedelta(minutes=rng.randint(1, 60 * 24 * 30))
        tier = rng.choice([0, 1, 2, 3, 3, 3, 4, 5, 5])
        is_open = i % 2 == 0
        t = Ticket(
            team=team, channel=rng.choice(["email", "slack", "bug_report", "github"]),
            tier=tier, subject=f"Bench ticket {i} about webhooks and exports",
            requester=rng.choice(requesters), created_at=created, updated_at=created,
            status="open" if is_open else "closed", is_active=is_open,
            assignee=rng.choice(users) if i % 3 == 0 else None, sort_due=NO_DUE,
        )  # fmt: skip
        if is_open:
            due = sla.due_times(calendar, created, sla.DEFAULT_TARGETS[Tier(tier)])
            t.sla_kind, t.sla_started_at = "first_response", created
            t.great_by, t.due_by, t.late_after = due.great_by, due.due_by, due.late_after
            t.sort_due = due.due_by
        batch.append(t)
        if len(batch) == 5000:
            _flush(batch, Ticket, Message)
    _flush(batch, Ticket, Message)


def _session(user: object) -> str:
    """A logged-in session of `user`, as a Cookie header value."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _analyze() -> None:
    """Planner statistics, as autovacuum keeps them on a running PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def in_process(rounds: int) -> dict[str, float]:
    """The same page through Django's handler in this process: the server's own
    time without the HTTP server, sockets or a second process competing for the CPU."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="hera"))
    samples = []
    for i in range(rounds + 10):
        start = time.perf_counter()
        res = client.get(f"/queue/{TEAM}/")
        elapsed = time.perf_counter() - start
        assert res.status_code == 200, res.status_code
        if i >= 10:
            samples.append(elapsed)
    return percentiles(samples)


def _flush(batch: list, Ticket: type, Message: type) -> None:
    if not batch:
        return
    created = Ticket.objects.bulk_create(batch)
    if created[0].pk is None:
        created = list(Ticket.objects.order_by("-id")[: len(batch)])
    Message.objects.bulk_create(
        Message(
            ticket=t,
            kind="requester",
            body="Our webhook export fails since Monday.",
            created_at=t.created_at,
        )
        for t in created
    )
    batch.clear()


class Browser:
    def __init__(self, port: int, cookie: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Cookie": cookie}

    def get(self, path: str) -> tuple[int, bytes, float]:
        start = time.perf_counter()
        self.conn.request("GET", path, headers=self.headers)
        res = self.conn.getresponse()
        body = res.read()
        return res.status, body, time.perf_counter() - start


def timed(client: Browser, path: str, rounds: int) -> dict[str, float]:
    samples = []
    for i in range(rounds + 10):
        status, body, elapsed = client.get(path)
        assert status == 200, (path, status, body[:300])
        if i >= 10:  # warm-up
            samples.append(elapsed)
    return percentiles(samples)


def transfer(client: Browser) -> dict[str, int]:
    status, html, _ = client.get(f"/queue/{TEAM}/")
    assert status == 200
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    sizes = {"html": len(html)}
    zipped = len(gzip.compress(html))
    for path in assets:
        code, body, _ = client.get(path.decode())
        assert code == 200, path
        sizes[path.decode().rsplit("/", 1)[-1]] = len(body)
        zipped += len(gzip.compress(body))
    sizes["total"] = sum(sizes.values())
    sizes["total_gzip"] = zipped
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", choices=["sqlite", "postgres"], nargs="?", default="sqlite")
    parser.add_argument("--open", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    url = database_url(args.db, "herodesk_bench_queue_page")
    setup_django(url)
    cookie = seed(args.open)
    results: dict = {
        "machine": machine(),
        "db": args.db,
        "open_tickets": args.open,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }
    results["queue_team_in_process"] = in_process(args.rounds)
    print(
        f"queue page in process @ {args.open} open: {results['queue_team_in_process']}", flush=True
    )
    with server(url) as port:
        client = Browser(port, cookie)
        results["queue_team"] = timed(client, f"/queue/{TEAM}/", args.rounds)
        print(
            f"queue page (team view, 50 rows) @ {args.open} open: {results['queue_team']}",
            flush=True,
        )
        for name, query in (
            ("mine", "?view=mine"),
            ("unassigned", "?view=unassigned"),
            ("breaching", "?view=breaching"),
            ("tier_filter", "?tier=3"),
            ("search", "?q=webhooks"),
        ):
            results[name] = timed(client, f"/queue/{TEAM}/{query}", max(20, args.rounds // 4))
            print(f"  {name}: {results[name]}", flush=True)
        results["bytes"] = transfer(client)
        print(f"bytes: {results['bytes']}", flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
