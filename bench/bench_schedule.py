"""Schedule engine in-process: who-is-on lookups and a year's final schedule.

    .venv/bin/python bench/bench_schedule.py [--seconds 2]

50 teams (one Schedule each) with 5 years of history: three rotation versions
per team (weekly or daily, in London, New York or Kolkata, some with a
Mon–Fri 09:00–17:00 mask) and 10,000 overrides in total. Targets: a lookup
≤ 50 µs, one team's final schedule for a year ≤ 20 ms. Each figure is the
best of three bounded rounds; "cold" clears the wall-clock cache first (a
fresh process). The script stops by itself.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from herodesk.domain.schedule import (
    Override,
    RotationVersion,
    Schedule,
    WeeklyWindow,
    wall_clock,
)

TEAMS, YEARS, OVERRIDES = 50, 5, 10_000
BEGIN = datetime(2022, 1, 3, 9, tzinfo=UTC)
END = BEGIN + timedelta(days=365 * YEARS)
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata"]
OFFICE = tuple(WeeklyWindow(d, clock(9), clock(17)) for d in range(5))


def team_versions(rng: random.Random, i: int) -> list[RotationVersion]:
    """Three versions: the order changes twice over the five years."""
    zone, daily = ZONES[i % len(ZONES)], i % 5 == 0
    people = [f"t{i}-p{n}" for n in range(rng.randint(4, 8))]
    out, begins = [], BEGIN
    for change in (0, 600, 1200):
        begins = BEGIN + timedelta(days=change, hours=rng.randrange(0, 72))
        rng.shuffle(people)
        out.append(
            RotationVersion(
                tuple(people), BEGIN + timedelta(days=change), turn_days=1 if daily else 7,
                handoff_weekday=None if daily else 0, time_zone=zone,
                effective_from=begins if change else None,
                restrictions=OFFICE if i % 10 == 3 else (),
            )
        )  # fmt: skip
    return out


def team_overrides(rng: random.Random, i: int, count: int) -> list[Override]:
    """`count` non-overlapping overrides spread over the five years."""
    out, cursor = [], BEGIN
    step = (END - BEGIN) / count
    for n in range(count):
        lo = cursor + timedelta(seconds=rng.randrange(int(step.total_seconds() / 2)))
        hi = lo + timedelta(hours=rng.choice([1, 4, 8, 24, 48, 168]))
        out.append(Override(f"{i}-{n}", f"t{i}-cover{n % 3}", lo, hi))
        cursor = max(hi, BEGIN + step * (n + 1))
    return out


def best_rate(fn: Callable[[], int], seconds: float) -> float:
    """Operations per second of `fn` (which returns how many it did), best of 3."""
    best = 0.0
    for _ in range(3):
        done, began = 0, time.perf_counter()
        while time.perf_counter() - began < seconds / 3:
            done += fn()
        best = max(best, done / (time.perf_counter() - began))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0, help="time per figure")
    args = parser.parse_args()
    rng = random.Random(1)

    began = time.perf_counter()
    schedules = [
        Schedule(team_versions(rng, i), team_overrides(rng, i, OVERRIDES // TEAMS))
        for i in range(TEAMS)
    ]
    build_ms = (time.perf_counter() - began) * 1000
    span = int((END - BEGIN).total_seconds())
    probes = [
        (rng.randrange(TEAMS), BEGIN + timedelta(seconds=rng.randrange(span)))
        for _ in range(10_000)
    ]

    def lookups() -> int:
        for team, at in probes:
            schedules[team].who(at)
        return len(probes)

    years = [BEGIN + timedelta(days=365 * y + rng.randrange(0, 200)) for y in range(YEARS - 1)]

    def finals(teams: range) -> Callable[[], int]:
        def run() -> int:
            for t in teams:
                for y in years:
                    schedules[t].final(y, y + timedelta(days=365))
            return len(teams) * len(years)

        return run

    crowded = Schedule(team_versions(rng, 1), team_overrides(rng, 1, OVERRIDES))

    def crowded_lookups() -> int:
        for _, at in probes:
            crowded.who(at)
        return len(probes)

    wall_clock.cache_clear()
    began = time.perf_counter()
    lookups()
    cold_us = (time.perf_counter() - began) / len(probes) * 1e6
    who_us = 1e6 / best_rate(lookups, args.seconds)
    crowded_us = 1e6 / best_rate(crowded_lookups, args.seconds)
    weekly_ms = 1000 / best_rate(finals(range(1, 2)), args.seconds)
    daily_ms = 1000 / best_rate(finals(range(0, 1)), args.seconds)
    masked_ms = 1000 / best_rate(finals(range(3, 4)), args.seconds)
    all_ms = 1000 / best_rate(finals(range(TEAMS)), args.seconds)
    pieces = sum(len(schedules[1].final(y, y + timedelta(days=365))) for y in years) / len(years)
    print(f"schedule engine: {TEAMS} teams, {YEARS} years, {OVERRIDES} overrides")
    print(f"  build 50 schedules      {build_ms:8.1f} ms")
    print(f"  who (cold cache)        {cold_us:8.1f} µs/lookup   (target ≤ 50)")
    print(f"  who (warm)              {who_us:8.1f} µs/lookup   (target ≤ 50)")
    print(f"  who, 1 team, 10k overr. {crowded_us:8.1f} µs/lookup")
    print(
        f"  final, weekly team      {weekly_ms:8.2f} ms/year     (target ≤ 20; {pieces:.0f} pieces)"
    )
    print(f"  final, daily team       {daily_ms:8.2f} ms/year")
    print(f"  final, Mon–Fri masked   {masked_ms:8.2f} ms/year")
    print(f"  final, mean of 50 teams {all_ms:8.2f} ms/year")


if __name__ == "__main__":
    main()
