"""Response targets (SPEC §6), counted in a calendar's working hours. Pure Python.

Which clock
- First response: `start` is the ticket's first requester message.
- Next reply: the same functions, with `start` = the time of the requester
  message that is waiting for an answer (the oldest unanswered one).
Both count only working time of the team's calendar (time zone, weekly hours,
holidays; see `business_hours`).

Pauses
- A pause is an interval when the ticket was pending (waiting on the
  requester). Working time inside a pause does not count: it pushes the due
  times later by exactly the paused working time that falls before them, so
  `elapsed(cal, start, due.due_by, pauses) == targets.okay`.
- Overlapping pauses count once. In `elapsed`/`grade` a pause may be
  open-ended, `(t, None)` = still paused, clipped to `end`. `due_times` needs
  closed pauses: while a ticket is paused its due times are unknown.

Grades (from the working time taken, pauses excluded)
    taken <= great → GREAT, <= okay → OKAY, <= late → SLOW, else TOO_LATE.
The seed's defaults for every tier: great 15 min, okay 1 h, too late after
one working day (8 h). Callers may configure targets per tier.

Due instants are the earliest instants at which a target is used up. When one
falls on a closing time (Friday 17:00), a reply in the closed hours after it
still grades as on time for that target, because the working clock has not
moved: grade by `grade()`, not by comparing wall-clock instants.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from herodesk.domain.business_hours import Calendar, from_micros, to_micros
from herodesk.domain.tiers import Tier

Pause = tuple[datetime, datetime | None]
_US = timedelta(microseconds=1)


class Grade(StrEnum):
    GREAT = "great"
    OKAY = "okay"
    SLOW = "slow"
    TOO_LATE = "too_late"


@dataclass(frozen=True)
class Targets:
    """Working-time targets: great by, due by (okay), late after."""

    great: timedelta = timedelta(minutes=15)
    okay: timedelta = timedelta(hours=1)
    late: timedelta = timedelta(hours=8)
    micros: tuple[int, int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        micros = (self.great // _US, self.okay // _US, self.late // _US)
        if min(micros) < 0:
            raise ValueError("SLA targets cannot be negative")
        object.__setattr__(self, "micros", micros)


DEFAULT_TARGETS: Mapping[Tier, Targets] = {tier: Targets() for tier in Tier}


@dataclass(frozen=True)
class Due:
    great_by: datetime
    due_by: datetime
    late_after: datetime


def due_times(
    calendar: Calendar, start: datetime, targets: Targets, pauses: Sequence[Pause] = ()
) -> Due:
    """The instants when the great, okay and late targets are used up (UTC)."""
    if pauses:
        great, okay, late = (_due_paused(calendar, start, d, pauses) for d in targets.micros)
    else:
        great, okay, late = calendar.add_micros(to_micros(start), targets.micros)
    return Due(from_micros(great), from_micros(okay), from_micros(late))


def elapsed(
    calendar: Calendar, start: datetime, end: datetime, pauses: Sequence[Pause] = ()
) -> timedelta:
    """Working time in [start, end) less the working time spent paused."""
    a, b = to_micros(start), to_micros(end)
    taken = calendar.between_micros(a, b)
    for p_start, p_end in _merged(pauses, a, b):
        taken -= calendar.between_micros(p_start, p_end)
    return _US * taken


def grade(
    calendar: Calendar,
    start: datetime,
    responded_at: datetime,
    targets: Targets,
    pauses: Sequence[Pause] = (),
) -> Grade:
    """Grade a response at `responded_at` to a clock started at `start`."""
    taken = elapsed(calendar, start, responded_at, pauses)
    if taken <= targets.great:
        return Grade.GREAT
    if taken <= targets.okay:
        return Grade.OKAY
    if taken <= targets.late:
        return Grade.SLOW
    return Grade.TOO_LATE


def breaching_soon(now: datetime, due: Due, window: timedelta) -> bool:
    """Not yet past due_by, but due_by falls within `window` from now (wall clock)."""
    return now < due.due_by <= now + window


def _merged(pauses: Sequence[Pause], lo: int, hi: int) -> list[tuple[int, int]]:
    """Pauses as sorted, disjoint µs intervals clipped to [lo, hi); None ends at hi."""
    spans = sorted(
        (max(to_micros(s), lo), min(hi, to_micros(e) if e is not None else hi)) for s, e in pauses
    )
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if s >= e:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _due_paused(calendar: Calendar, start: datetime, target: int, pauses: Sequence[Pause]) -> int:
    """µs instant when `target` µs of unpaused working time have passed since start."""
    if any(e is None for _, e in pauses):
        raise ValueError("due times are unknown while a pause is open; pass closed pauses")
    cursor = to_micros(start)
    remaining = target
    for p_start, p_end in _merged(pauses, cursor, 2**62):
        available = calendar.between_micros(cursor, p_start)
        if remaining < available or 0 < remaining == available:
            break
        remaining -= available
        cursor = p_end
    return calendar.add_micros(cursor, (remaining,))[0]
