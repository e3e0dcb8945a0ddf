"""Similar solved tickets (issue 17 §2): hit rate and cost.

    .venv/bin/python bench/bench_similar.py [sqlite|postgres] [--part hits,latency]
        [--sizes 10000,100000] [--rounds 200] [--reuse]

Hit rate (what "hit" means is stated, not implied):

- demo: the demo desk (`herodesk demo`, 200 tickets). Every solved or closed
  demo ticket whose subject at least one *other* solved ticket shares (the
  demo's stories repeat a subject with different requesters, bodies and
  channels) asks for its similar tickets; a hit@k is one of the first k
  suggestions having the same subject. An easy case (same subject words), so
  it checks the plumbing more than the ranking; the base rate says how often
  a random pick of 3 solved tickets would hit.
- held-out: a synthetic desk of TOPICS problems. Each problem has its own
  words and one canonical answer; a ticket about it says 2–3 of its words in
  the subject and 3–5 in the body, among ordinary support words and the long
  tail of bench/corpus.py, and never the same text twice. Per problem, 8
  tickets are solved with its answer (the history) and 2 are held out, left
  open, never solved (the split: the held-out tickets' answers are not in the
  history's tickets). A hit@k: a held-out ticket's first k suggestions include
  one whose answer is its problem's answer — the answer that would have
  solved it. Also the mean reciprocal rank of the first right answer.

The real signal on a live desk would be "the ticket it was merged into comes
up", but a merge moves the duplicate's messages onto the survivor, so the
survivor then contains the duplicate's own text and would match trivially;
this benchmark does not claim that measure.

Latency: bulk-loaded desks (bench/bench_search.py's corpus: 80 % closed with a
public reply, three messages each) of each size, the index built with
`herodesk reindex`; `similar_to` for `--rounds` tickets in process (wall p50 /
p99, and this process's CPU per call: on PostgreSQL the server's own work is
not in it), and GET /api/v1/tickets/{id}/similar through Django's handler.
`--reuse --part latency` times the largest desk a previous run left, without
seeding it again.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import database_url, machine, percentiles, setup_django
from bench.corpus import Corpus

TOPICS = 60
SOLVED_PER_TOPIC = 8
HELD_OUT_PER_TOPIC = 2


class _Out:
    def write(self, msg: str) -> None:
        pass


def _hits(ranks: list[int | None], k: int) -> float:
    return sum(1 for r in ranks if r is not None and r < k) / len(ranks) if ranks else 0.0


def _summary(ranks: list[int | None]) -> dict:
    mrr = sum(1 / (r + 1) for r in ranks if r is not None) / len(ranks) if ranks else 0.0
    return {
        "queries": len(ranks),
        "hit@1": round(_hits(ranks, 1), 3),
        "hit@3": round(_hits(ranks, 3), 3),
        "mrr": round(mrr, 3),
    }


def demo_hits() -> dict:
    from django.db.models import F
    from django.db.models.functions import Coalesce

    from herodesk.demo.data import load_demo
    from herodesk.tickets import queries, similar
    from herodesk.tickets.models import Message, MessageKind, Status, Ticket

    load_demo(_Out())
    solved = list(
        queries.with_related(
            Ticket.objects.filter(status__in=[Status.SOLVED, Status.CLOSED], merged_into=None)
        )
    )
    # Only a solved ticket with a public reply before its solve can be suggested.
    answered = set(
        Message.objects.filter(ticket__in=solved, kind=MessageKind.PUBLIC)
        .filter(created_at__lte=Coalesce(F("ticket__solved_at"), F("ticket__closed_at")))
        .values_list("ticket_id", flat=True)
    )
    by_subject: dict[str, int] = {}
    for t in solved:
        if t.pk in answered:
            by_subject[t.subject] = by_subject.get(t.subject, 0) + 1
    ranks: list[int | None] = []
    base: list[float] = []
    _analyze()
    for t in solved:
        same = by_subject.get(t.subject, 0) - (t.pk in answered)
        if same < 1:  # no other answered ticket with its subject: nothing to find
            continue
        found = similar.similar_to(t, limit=3).suggestions
        rank = next((i for i, s in enumerate(found) if s.ticket.subject == t.subject), None)
        ranks.append(rank)
        others = len(answered) - (t.pk in answered)
        base.append(1 - _comb(others - same, 3) / _comb(others, 3))
    out = _summary(ranks)
    out["solved"], out["answered"] = len(solved), len(answered)
    out["random_pick_hit@3"] = round(statistics.fmean(base), 3) if base else 0.0
    return out


def _analyze() -> None:
    """PostgreSQL: statistics as autovacuum keeps them on a live desk (similar.py
    takes common words' counts from them); measured before this, the hit rates
    would check only the path where every term is counted."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE ticket_search")


def _comb(n: int, k: int) -> float:
    from math import comb

    return float(comb(n, k)) if n >= k else 0.0


def _topic_words(rng: random.Random, vocabulary: list[str]) -> list[list[str]]:
    pool = [w for w in vocabulary if len(w) >= 5]
    rng.shuffle(pool)
    return [pool[i * 6 : i * 6 + 6] for i in range(TOPICS)]


def _ticket_text(rng: random.Random, corpus: Corpus, words: list[str]) -> tuple[str, str]:
    subject = rng.sample(words, rng.randint(2, 3)) + corpus.words(rng, rng.randint(2, 4))
    rng.shuffle(subject)
    body = corpus.words(rng, rng.randint(25, 45))
    for w in rng.sample(words, rng.randint(3, 5)):
        body.insert(rng.randrange(len(body) + 1), w)
    return " ".join(subject).capitalize(), " ".join(body)


def held_out_hits() -> dict:
    from django.contrib.auth import get_user_model

    from herodesk.teams.models import Membership, Person, Team
    from herodesk.tickets import actions, queries, similar
    from herodesk.tickets.models import Status, Ticket

    rng = random.Random(1717)
    corpus = Corpus()
    team = Team.objects.create(slug="heldout", name="Held out")
    user = get_user_model().objects.create_user("heldout", "heldout@bench.example", "x" * 12)
    Membership.objects.create(team=team, person=Person.objects.create(user=user))
    topics = _topic_words(rng, corpus.vocabulary[150:])
    answers = [f"Answer {i}: " + " ".join(corpus.words(rng, 20)) for i in range(TOPICS)]
    start = datetime.now(UTC) - timedelta(days=30)
    held: list[tuple[int, int]] = []
    for i, words in enumerate(topics):
        for j in range(SOLVED_PER_TOPIC + HELD_OUT_PER_TOPIC):
            subject, body = _ticket_text(rng, corpus, words)
            at = start + timedelta(minutes=i * 20 + j)
            t = actions.ticket_create(
                subject=subject, body=body, actor="bench", channel="email", team=team,
                created_at=at, tier=4,
            )  # fmt: skip
            if j < SOLVED_PER_TOPIC:
                actions.ticket_reply(t, author=user, body=answers[i], at=at + timedelta(minutes=5))
                actions.ticket_set_status(
                    t, Status.SOLVED, actor=user, at=at + timedelta(minutes=6)
                )
            else:
                held.append((t.pk, i))
    ranks: list[int | None] = []
    _analyze()
    for pk, topic in held:
        ticket = queries.with_related(Ticket.objects.filter(pk=pk)).get()
        found = similar.similar_to(ticket, limit=3).suggestions
        ranks.append(
            next((k for k, s in enumerate(found) if s.answer.body == answers[topic]), None)
        )
    out = _summary(ranks)
    out["topics"], out["solved"] = TOPICS, TOPICS * SOLVED_PER_TOPIC
    out["random_pick_hit@3"] = round(
        1
        - _comb(TOPICS * SOLVED_PER_TOPIC - SOLVED_PER_TOPIC, 3)
        / _comb(TOPICS * SOLVED_PER_TOPIC, 3),
        3,
    )
    return out


def latency(sizes: list[int], rounds: int) -> list[dict]:
    """The desk grows to each size in turn (same database, more tickets)."""
    from bench.bench_search import seed_base

    base, already, rows = seed_base(), 0, []
    for size in sizes:
        rows.append(latency_at(base, already, size, rounds))
        print(f"  latency: {json.dumps(rows[-1])}", flush=True)
        already = size
    return rows


def latency_at(base: dict, already: int, size: int, rounds: int) -> dict:
    from django.db import connection
    from django.db.models import F

    from bench.bench_search import build_index, seed_tickets
    from herodesk.tickets.models import Ticket

    start = time.perf_counter()
    seed_tickets(base, size, already, Corpus())
    # The corpus closes tickets without dates: solved and closed 5 minutes
    # after they arrived, after their public reply (at 1 minute).
    done = F("created_at") + timedelta(minutes=5)
    Ticket.objects.filter(status="closed", closed_at=None).update(solved_at=done, closed_at=done)
    built = build_index()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    seeded = time.perf_counter() - start
    return {"seed_s": round(seeded, 1), "index": built, **timed(rounds)}


def timed(rounds: int) -> dict:
    """similar_to and the endpoint for `rounds` random tickets of the desk as it is."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from herodesk.tickets import queries, similar
    from herodesk.tickets.models import Ticket

    size = Ticket.objects.count()
    user = Ticket.objects.exclude(assignee=None).values_list("assignee", flat=True).first()
    rng = random.Random(size)
    top = Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(rounds)]
    tickets = list(queries.with_related(Ticket.objects.filter(pk__in=ids)))
    for t in tickets[:5]:  # warm-up
        similar.similar_to(t)
    walls, cpus, found, terms = [], [], 0, 0
    server = _server_cpu()
    for t in tickets:
        w0, c0 = time.perf_counter(), time.process_time()
        result = similar.similar_to(t)
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - w0)
        found += len(result.suggestions)
        terms += len(result.terms)
    server = _server_cpu() - server
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user))
    api = []
    for t in tickets[: min(100, len(tickets))]:
        w0 = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            res = client.get(f"/api/v1/tickets/{t.pk}/similar")
        api.append(time.perf_counter() - w0)
        assert res.status_code == 200, res.content[:300]
    load = os.getloadavg()[0]
    return {
        "tickets": size,
        "load_avg_1m": round(load, 1),
        "calls": len(walls),
        "similar_to": percentiles(walls),
        "similar_to_cpu_ms_mean": round(statistics.fmean(cpus) * 1000, 2),
        "postgres_server_cpu_ms_mean": round(server / len(walls) * 1000, 2) if server else None,
        "suggestions_per_call": round(found / len(walls), 2),
        "terms_per_call": round(terms / len(walls), 2),
        "api": percentiles(api),
        "api_queries": len(ctx.captured_queries),
    }


def _server_cpu() -> float:
    """CPU seconds the PostgreSQL backend of this connection has used (0 on SQLite):
    user + system time from /proc (the server runs on this machine)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _existing(kind: str, name: str) -> str:
    """The URL of a database a previous run left (not emptied), with the
    HERODESK_BENCH_TAG that `database_url` gave it."""
    name += os.environ.get("HERODESK_BENCH_TAG", "")
    if kind == "sqlite":
        return f"sqlite:////tmp/herodesk-bench/{name}.sqlite3"
    base = os.environ.get("HERODESK_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    return f"{base}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", nargs="?", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--part", default="hits,latency")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument(
        "--reuse", action="store_true", help="latency: time the desk a previous run left as it is"
    )
    args = parser.parse_args()
    parts = args.part.split(",")
    if len(parts) > 1:  # one database per process: each part in its own
        for part in parts:
            command = [sys.executable, __file__, args.db, "--part", part]
            command += ["--sizes", args.sizes, "--rounds", str(args.rounds)]
            command += ["--reuse"] if args.reuse else []
            subprocess.run(command, check=True)
        return
    out: dict = {"db": args.db, "machine": machine()}
    if parts == ["hits"]:
        setup_django(database_url(args.db, "herodesk_bench_similar_hits"))
        out["demo"] = demo_hits()
        print(f"  demo: {json.dumps(out['demo'])}", flush=True)
        out["held_out"] = held_out_hits()
        print(f"  held-out: {json.dumps(out['held_out'])}", flush=True)
    elif parts == ["latency"] and args.reuse:
        setup_django(_existing(args.db, "herodesk_bench_similar"))
        out["latency"] = [timed(args.rounds)]
        print(f"  latency: {json.dumps(out['latency'][0])}", flush=True)
    elif parts == ["latency"]:
        setup_django(database_url(args.db, "herodesk_bench_similar"))
        out["latency"] = latency([int(s) for s in args.sizes.split(",")], args.rounds)
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
