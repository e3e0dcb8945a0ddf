"""Response targets (SPEC §6), counted in a calendar's working hours. Pure Python.

A clock starts at a requester message: the ticket's first message for the
first-response target, any later unanswered message for the next-reply
target (the same functions serve both: pass that message's time as `start`).
Pauses are intervals when the ticket was pending (waiting on the requester);
the working time inside them does not count.

Grades: ≤ great → great, ≤ okay → okay, ≤ late → slow, > late → too late.
The seed's defaults: great ≤ 15 min, okay ≤ 1 h, too late > 1 working day (8 h).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from herodesk.domain.business_hours import Calendar
from herodesk.domain.tiers import Tier

Pause = tuple[datetime, datetime | None]


class Grade(StrEnum):
    GREAT = "great"
    OKAY = "okay"
    SLOW = "slow"
    TOO_LATE = "too_late"


@dataclass(frozen=True)
class Targets:
    great: timedelta = timedelta(minutes=15)
    okay: timedelta = timedelta(hours=1)
    late: timedelta = timedelta(hours=8)


DEFAULT_TARGETS: Mapping[Tier, Targets] = {tier: Targets() for tier in Tier}


@dataclass(frozen=True)
class Due:
    great_by: datetime
    due_by: datetime
    late_after: datetime


def paused_time(
    calendar: Calendar, start: datetime, end: datetime, pauses: Sequence[Pause]
) -> timedelta:
    """Working time inside the pauses, clipped to [start, end)."""
    total = timedelta(0)
    for p_start, p_end in pauses:
        lo = max(p_start, start)
        hi = min(p_end or end, end)
        if lo < hi:
            total += calendar.between(lo, hi)
    return total


def due_times(
    calendar: Calendar, start: datetime, targets: Targets, pauses: Sequence[Pause] = ()
) -> Due:
    """When the response is great-by, due-by (okay) and late-after."""
    extra = timedelta(0)
    if pauses:
        horizon = max((p[1] or p[0] for p in pauses), default=start)
        extra = paused_time(calendar, start, max(horizon, start), pauses)
    seconds = [(t + extra).total_seconds() for t in (targets.great, targets.okay, targets.late)]
    order = sorted(range(3), key=seconds.__getitem__)
    reached = calendar.add_seconds(start.timestamp(), [seconds[i] for i in order])
    out = [0.0, 0.0, 0.0]
    for i, value in zip(order, reached, strict=True):
        out[i] = value
    return Due(*(datetime.fromtimestamp(v, UTC) for v in out))


def elapsed(
    calendar: Calendar, start: datetime, end: datetime, pauses: Sequence[Pause] = ()
) -> timedelta:
    """Working time from start to end, less the working time spent paused."""
    return calendar.between(start, end) - paused_time(calendar, start, end, pauses)


def grade(
    calendar: Calendar,
    start: datetime,
    responded_at: datetime,
    targets: Targets,
    pauses: Sequence[Pause] = (),
) -> Grade:
    taken = elapsed(calendar, start, responded_at, pauses)
    if taken <= targets.great:
        return Grade.GREAT
    if taken <= targets.okay:
        return Grade.OKAY
    if taken <= targets.late:
        return Grade.SLOW
    return Grade.TOO_LATE


def breaching_soon(now: datetime, due: Due, window: timedelta) -> bool:
    """Not yet late, but the okay target falls within `window` from now (or passed)."""
    return now <= due.late_after and due.due_by <= now + window
