"""Rotation endpoints over HTTP: a team's iCalendar feed (target ≤ 50 ms), a
person's feed, who-is-on and a year's schedule through the API.

    .venv/bin/python bench/bench_rotations_http.py [sqlite|postgres] [--rounds 300]

Seeds 50 teams with weekly rotations started five years ago (six members each,
one rotation change a year) and 10k overrides, then serves with
`herodesk serve --workers 2` on a free port and measures with keep-alive
clients (the first 20 requests of each kind are warm-up).
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import Http, database_url, machine, percentiles, server, setup_django

TEAMS, MEMBERS, OVERRIDES, YEARS = 50, 6, 10_000, 5


def seed_team(t: int, rng: random.Random, admin: Any, start: datetime) -> tuple[Any, list[Any]]:
    """A team of MEMBERS people whose order changed once a year since `start`."""
    from django.contrib.auth import get_user_model

    from herodesk.rotations import actions
    from herodesk.teams.models import Membership, Person, Team

    zone = rng.choice(["Europe/London", "America/New_York"])
    team = Team.objects.create(slug=f"team-{t}", name=f"Team {t}", time_zone=zone)
    people = []
    for m in range(MEMBERS):
        user = get_user_model().objects.create_user(f"p{t}-{m}", f"p{t}-{m}@bench.example")
        people.append(Person.objects.create(user=user, time_zone=zone))
        Membership.objects.create(team=team, person=people[-1])
    names = [p.user.username for p in people]
    for year in range(YEARS):  # the past is never rewritten: one version per year
        at = start + timedelta(days=365 * year)
        actions.rotation_set(
            team,
            members=names,
            start=at,
            handoff_time="09:00",
            effective_from=at if year else None,
            actor=admin,
            now=at,
        )
        rng.shuffle(names)
    return team, people


def seed(now: datetime) -> tuple[str, str, str]:
    """Returns (admin token, team feed path, person feed path)."""
    from django.contrib.auth import get_user_model

    from herodesk.rotations import actions
    from herodesk.rotations.models import Override
    from herodesk.teams.actions import token_issue

    rng = random.Random(7)
    admin = get_user_model().objects.create_superuser("bench", "bench@bench.example", "x" * 12)
    start = now - timedelta(days=365 * YEARS)
    teams = [seed_team(t, rng, admin, start) for t in range(TEAMS)]
    batch = []
    for i in range(OVERRIDES):  # 200 a team, spread over the five years, never overlapping
        team, people = teams[i % TEAMS]
        begin = start + timedelta(hours=(i // TEAMS) * 210 + rng.randrange(100))
        end = begin + timedelta(hours=rng.choice([4, 8, 24]))
        batch.append(
            Override(team=team, person=rng.choice(people), start=begin, end=end, created_at=now)
        )
    Override.objects.bulk_create(batch, batch_size=2000)
    team0, people0 = teams[0]
    team_feed = actions.feed_token_rotate(team=team0, actor=admin)
    person_feed = actions.feed_token_rotate(person=people0[0], actor=admin)
    return (
        token_issue(admin)[1],
        f"/calendars/{team_feed.token}.ics",
        f"/calendars/{person_feed.token}.ics",
    )


def measure(port: int, token: str, path: str, rounds: int) -> dict[str, float]:
    client = Http(port, token)
    samples = []
    for i in range(rounds + 20):
        status, body, elapsed = client.request("GET", path)
        assert status == 200, (status, body[:300])
        if i >= 20:
            samples.append(elapsed)
    return {**percentiles(samples), "bytes": len(body)}


def count_events(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    return conn.getresponse().read().count(b"BEGIN:VEVENT")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", choices=["sqlite", "postgres"], nargs="?", default="sqlite")
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    url = database_url(args.db, "herodesk_bench_rotations")
    setup_django(url)
    now = datetime.now(UTC)
    started = time.perf_counter()
    token, team_feed, person_feed = seed(now)
    print(
        f"seeded {TEAMS} teams, {YEARS} years, {OVERRIDES} overrides in "
        f"{time.perf_counter() - started:.1f}s",
        flush=True,
    )
    year_end = (now + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
    paths = {
        "team_feed": team_feed,
        "person_feed": person_feed,
        "oncall": "/api/v1/teams/team-0/oncall",
        "schedule_1y": f"/api/v1/teams/team-0/schedule?start={now:%Y-%m-%dT%H:%M:%SZ}"
        f"&end={year_end}",
    }
    results: dict = {"machine": machine(), "db": args.db, "date": f"{now:%Y-%m-%d}"}
    with server(url) as port:
        results["team_feed_events"] = count_events(port, team_feed)
        for name, path in paths.items():
            results[name] = measure(port, token, path, args.rounds)
            print(f"{name}: {results[name]}", flush=True)
    ok = results["team_feed"]["p50_ms"] <= 50
    print(
        f"team iCal feed p50 {results['team_feed']['p50_ms']} ms "
        f"({'within' if ok else 'OVER'} the 50 ms target)"
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
