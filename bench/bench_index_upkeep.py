"""What keeping the search index in step costs creates and replies (issue 17).

    .venv/bin/python bench/bench_index_upkeep.py [sqlite|postgres] [--n 400] [--runs 3]

In process (no HTTP), on a database holding 10,000 indexed tickets: `n`
ticket creates (`ticket_create`, subject + a 60-word body) and then `n`
public replies (`ticket_reply`, 40 words, on tickets with three messages),
with the index upkeep on and with it replaced by a no-op ("before"),
interleaved on/off `runs` times; medians of the rates and of the CPU time per
action. Target: rates within 10 % of "before".
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import _ticks as ticks  # /proc ticks of one process
from bench.common import database_url, machine, setup_django
from bench.corpus import Corpus


def seed(corpus: Corpus, count: int = 10_000) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from herodesk.customers.models import Organization, Requester
    from herodesk.teams.models import Membership, Person, Team
    from herodesk.tickets.models import Message, Ticket

    team = Team.objects.create(slug="pipeline", name="Pipeline")
    user = get_user_model().objects.create_user("hera", "hera@bench.example", "x" * 12)
    Membership.objects.create(team=team, person=Person.objects.create(user=user))
    org = Organization.objects.create(name="Acme", plan="teams")
    requester = Requester.objects.create(email="r@bench.example", name="Req", organization=org)
    from django.utils import timezone

    now = timezone.now()
    tickets = Ticket.objects.bulk_create(
        Ticket(team=team, subject=corpus.ticket(i).subject, requester=requester, status="closed",
               is_active=False, created_at=now, updated_at=now)
        for i in range(count)
    )  # fmt: skip
    if tickets[0].pk is None:
        tickets = list(Ticket.objects.order_by("id"))
    Message.objects.bulk_create(
        Message(ticket=t, kind="requester", body=" ".join(corpus.ticket(i).bodies), created_at=now)
        for i, t in enumerate(tickets)
    )
    call_command("reindex", verbosity=0)
    return {"team": team, "user": user, "requester": requester}


def run(base: dict, corpus: Corpus, n: int, rng: random.Random) -> dict:
    from herodesk.tickets import actions

    words = lambda k: " ".join(corpus.words(rng, k))  # noqa: E731
    made = []
    server = _backend_cpu()
    cpu, start = time.process_time(), time.perf_counter()
    for _ in range(n):
        ticket = actions.ticket_create(
            subject=words(6), body=words(60), actor="bench", team=base["team"],
            requester=base["requester"],
        )  # fmt: skip
        made.append(ticket)
    create_wall, create_cpu = time.perf_counter() - start, time.process_time() - cpu
    create_server = _backend_cpu() - server
    for t in made:  # three messages each before the timed reply, like a real thread
        actions.ticket_requester_message(t, body=words(30))
    server = _backend_cpu()
    cpu, start = time.process_time(), time.perf_counter()
    for t in made:
        actions.ticket_reply(t, author=base["user"], body=words(40))
    reply_wall, reply_cpu = time.perf_counter() - start, time.process_time() - cpu
    reply_server = _backend_cpu() - server
    return {
        "creates_per_s": n / create_wall,
        "create_cpu_ms": create_cpu * 1000 / n,
        # PostgreSQL: the backend's CPU (where the index upkeep runs); 0 on SQLite
        "create_server_cpu_ms": create_server * 1000 / n,
        "replies_per_s": n / reply_wall,
        "reply_cpu_ms": reply_cpu * 1000 / n,
        "reply_server_cpu_ms": reply_server * 1000 / n,
    }


def _backend_cpu() -> float:
    """CPU seconds this connection's PostgreSQL backend has used (same host; 0 on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    return ticks(pid) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", choices=["sqlite", "postgres"], nargs="?", default="sqlite")
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    name = os.environ.get("HERODESK_BENCH_DB", "herodesk_bench_upkeep")
    setup_django(database_url(args.db, name))
    from herodesk.tickets.actions import create, index, merge, note, reply

    corpus = Corpus()
    base = seed(corpus)
    modules = (create, reply, note, merge)
    real = {m: (m.tickets_index, getattr(m, "tickets_index_new", None)) for m in modules}

    def upkeep(on: bool) -> None:
        for m, (full, new) in real.items():
            m.tickets_index = full if on else (lambda ids: 0)  # type: ignore[attr-defined]
            if new is not None:
                m.tickets_index_new = new if on else (lambda pk: None)  # type: ignore[attr-defined]

    assert index.tickets_index is real[create][0]
    rng = random.Random(17)
    runs: dict[str, list[dict]] = {"before (no upkeep)": [], "after (upkeep)": []}
    run(base, corpus, 50, rng)  # warm-up
    for _ in range(args.runs):
        for label, on in (("before (no upkeep)", False), ("after (upkeep)", True)):
            upkeep(on)
            runs[label].append(run(base, corpus, args.n, rng))
            print(f"  {label}: {json.dumps(runs[label][-1])}", flush=True)
    upkeep(True)
    out: dict = {"machine": machine(), "db": args.db, "loadavg": os.getloadavg()}
    for label, rs in runs.items():
        out[label] = {k: round(statistics.median(r[k] for r in rs), 2) for k in rs[0]}
    before, after = out["before (no upkeep)"], out["after (upkeep)"]
    out["create_rate_ratio"] = round(after["creates_per_s"] / before["creates_per_s"], 3)
    out["reply_rate_ratio"] = round(after["replies_per_s"] / before["replies_per_s"], 3)
    # CPU per action, this process + the database backend: steadier than rates under load
    for kind in ("create", "reply"):
        total = {k: v[f"{kind}_cpu_ms"] + v[f"{kind}_server_cpu_ms"] for k, v in out.items()
                 if k in runs}  # fmt: skip
        out[f"{kind}_cpu_ratio"] = round(total["after (upkeep)"] / total["before (no upkeep)"], 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
