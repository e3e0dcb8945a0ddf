"""SLA clock throughput in-process: add, between and due_times per second.

    .venv/bin/python bench/bench_sla.py [--seconds 2]

Uses London hours with English bank holidays and 10,000 random instants over a
year (caches warmed first, as in a running server). Each figure is the best of
three bounded rounds; the script stops by itself.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from herodesk.domain import sla
from herodesk.domain.business_hours import Calendar
from herodesk.domain.tiers import Tier


def rate(fn: Callable[[], int], seconds: float) -> float:
    """Calls per second of `fn` (which returns how many operations it did)."""
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

    cal = Calendar.default("Europe/London", "GB", "ENG")
    rng = random.Random(1)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    starts = [base + timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(10_000)]
    ends = [s + timedelta(seconds=rng.randrange(14 * 86400)) for s in starts]
    pairs = list(zip(starts, ends, strict=True))
    hour = timedelta(hours=1)
    targets = sla.DEFAULT_TARGETS[Tier.NORMAL]
    pauses = [(starts[0], starts[0] + hour)]
    for s in starts:  # warm the caches
        sla.due_times(cal, s, targets)

    def adds() -> int:
        for s in starts:
            cal.add(s, hour)
        return len(starts)

    def betweens() -> int:
        for a, b in pairs:
            cal.between(a, b)
        return len(pairs)

    def dues() -> int:
        for s in starts:
            sla.due_times(cal, s, targets)
        return len(starts)

    def dues_paused() -> int:
        for s in starts[:1000]:
            sla.due_times(cal, s, targets, pauses)
        return 1000

    for name, fn in [
        ("add", adds),
        ("between", betweens),
        ("due_times", dues),
        ("due_times+pause", dues_paused),
    ]:
        print(f"{name:>16}: {rate(fn, args.seconds):>12,.0f} /s")


if __name__ == "__main__":
    main()
