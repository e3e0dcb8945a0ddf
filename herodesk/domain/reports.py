"""Report definitions (SPEC §10), written once. Pure Python, no Django.

Every figure a report, a CSV line or a metric shows is defined here; the SQL
in the reports app computes the same numbers without loading tickets, and its
tests compare the two.

Response times (first response, next reply)
- A response clock starts at the oldest requester message nobody has
  answered and stops at the next public reply; solving or closing the ticket
  stops it with no response. The first public reply is the first response,
  later ones are next replies. This is exactly the ticket's SLA clock.
- Working minutes: the team calendar's working time (time zone, weekly
  hours, holidays: `business_hours`) from start to reply, less the working
  time the ticket spent pending (paused): `sla.elapsed`.
- Calendar minutes: plain wall-clock time from start to reply.
- Grade: `sla.grade` with the tier's targets (great / okay / slow / too late);
  attainment = how many first responses got each grade.

Resolution: created → solved (the latest solve) in working minutes (pending
time included: the requester still waits for a fix) and calendar hours. MTTR
= mean, p50 and p90 of the working minutes of the solved tickets.

Percentiles: nearest rank. p of n sorted values is the value at rank
ceil(p·n/100) (rank 1 for p = 0), so it is always an observed value.

Breaches: tickets whose response clock went past "too late" (answered too
late, or still waiting past it and not paused).

Next-reply time: each later answered clock, in working minutes and in
calendar minutes (from the requester message that started the clock to the
reply); a report row gives how many there were and both means (each ticket
stores its count and both sums when the reply happens).

Backlog at a moment t: tickets created at or before t and not resolved
(solved or closed) at t, by their status history: a ticket solved and later
reopened was not open between the solve and the reopening. Volume: tickets
created in [start, end).

Hero-week: a ticket belongs to whoever the final schedule (overrides
included) names at its `created_at`, within the rotation turn in which it
arrived: the key is (hero, turn). Time nobody covers is "nobody on duty".
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from herodesk.domain import sla
from herodesk.domain.business_hours import Calendar
from herodesk.domain.schedule import Schedule, Shift

_MINUTE = timedelta(minutes=1)
GRADES = tuple(g.value for g in sla.Grade)
NOBODY = "nobody"  # hero-week key part for time no one covers

# ----- response times --------------------------------------------------------


def working_minutes(
    calendar: Calendar, start: datetime, end: datetime, pauses: Sequence[sla.Pause] = ()
) -> float:
    """Working minutes in [start, end) less the working time spent paused."""
    return sla.elapsed(calendar, start, end, pauses) / _MINUTE


def calendar_minutes(start: datetime, end: datetime) -> float:
    """Wall-clock minutes from start to end (0 when end is not after start)."""
    return max((end - start) / _MINUTE, 0.0)


def calendar_hours(start: datetime, end: datetime) -> float:
    return calendar_minutes(start, end) / 60


EventKind = Literal["requester", "reply", "resolved"]


@dataclass(frozen=True)
class Event:
    """Something in a conversation that moves the clock: a requester message,
    a public reply, or the ticket being solved/closed."""

    at: datetime
    kind: EventKind


@dataclass(frozen=True)
class Response:
    kind: Literal["first_response", "next_reply"]
    started_at: datetime
    answered_at: datetime
    working_minutes: float
    calendar_minutes: float
    grade: str


def responses(
    calendar: Calendar,
    events: Iterable[Event],
    targets: sla.Targets,
    pauses: Sequence[sla.Pause] = (),
) -> list[Response]:
    """Every answered clock of a conversation, first response first (see the module doc).

    Events at the same instant keep their given order."""
    out: list[Response] = []
    waiting: datetime | None = None
    replied = False
    for event in sorted(events, key=lambda e: e.at):
        if event.kind == "requester":
            waiting = waiting or event.at
        elif event.kind == "resolved":
            waiting = None
        elif event.kind == "reply":
            if waiting is not None:
                out.append(
                    Response(
                        "next_reply" if replied else "first_response",
                        waiting,
                        event.at,
                        working_minutes(calendar, waiting, event.at, pauses),
                        calendar_minutes(waiting, event.at),
                        sla.grade(calendar, waiting, event.at, targets, pauses).value,
                    )
                )
            waiting = None
            replied = True
        else:
            raise ValueError(f"unknown event kind {event.kind!r}")
    return out


def resolution_minutes(calendar: Calendar, created_at: datetime, solved_at: datetime) -> float:
    """Working minutes from arrival to the (latest) solve, pending time included."""
    return working_minutes(calendar, created_at, solved_at)


# ----- percentiles and summaries --------------------------------------------

# Value buckets: each ticket stores the bucket of each of its figures, so the
# database finds the bucket holding a nearest rank by counting index entries
# and sorts only that bucket's values (see reports.ranks), and /metrics adds up
# its first-response histogram from bucket counts. Bucket j holds the values v
# with EDGES[j-1] < v <= EDGES[j] (bucket 0: v <= 0; the last: above every
# edge). The edges: three per doubling of 1 + v, and the Prometheus
# histogram's edges (working minutes: the seed's great 15, okay 60, too late
# 480 among them).
HISTOGRAM_EDGES = (5.0, 15.0, 30.0, 60.0, 120.0, 240.0, 480.0, 960.0, 2400.0)
EDGES = tuple(sorted({2 ** (j / 3) - 1 for j in range(81)} | set(HISTOGRAM_EDGES)))
LAST_BUCKET = len(EDGES)  # above 2^(80/3) − 1 ≈ 100 million minutes


def bucket(value: float | None) -> int | None:
    """The value bucket of a figure (None for no figure)."""
    if value is None:
        return None
    return bisect.bisect_left(EDGES, value)


def rank(p: int, n: int) -> int:
    """The 1-based nearest rank of percentile p (0–100) among n values (n >= 1)."""
    if not 0 <= p <= 100 or isinstance(p, bool) or not isinstance(p, int):
        raise ValueError(f"percentile must be an integer 0–100, got {p!r}")
    return max(1, (p * n + 99) // 100)


def percentile(values: Iterable[float], p: int) -> float | None:
    """Nearest-rank percentile p of values; None when there are none."""
    ordered = sorted(values)
    if not ordered:
        rank(p, 1)  # still validate p
        return None
    return ordered[rank(p, len(ordered)) - 1]


@dataclass(frozen=True)
class Summary:
    count: int
    mean: float | None
    p50: float | None
    p90: float | None


def summarize(values: Iterable[float]) -> Summary:
    """Count, mean, p50 and p90 (nearest rank) of values."""
    ordered = sorted(values)
    if not ordered:
        return Summary(0, None, None, None)
    n = len(ordered)
    return Summary(n, sum(ordered) / n, ordered[rank(50, n) - 1], ordered[rank(90, n) - 1])


@dataclass(frozen=True)
class Attainment:
    great: int = 0
    okay: int = 0
    slow: int = 0
    too_late: int = 0

    @property
    def total(self) -> int:
        return self.great + self.okay + self.slow + self.too_late

    def share(self, grade: str) -> float | None:
        """The fraction of graded responses with `grade` (None when none)."""
        return getattr(self, grade) / self.total if self.total else None


def attainment(grades: Iterable[str]) -> Attainment:
    """Counts of first responses per grade (blank grades are not responses)."""
    counts = dict.fromkeys(GRADES, 0)
    for g in grades:
        if not g:
            continue
        if g not in counts:
            raise ValueError(f"unknown grade {g!r}; one of {', '.join(GRADES)}")
        counts[g] += 1
    return Attainment(**counts)


# ----- backlog and volume ----------------------------------------------------


def resolved_at(solved_at: datetime | None, closed_at: datetime | None) -> datetime | None:
    """When a ticket stopped being open: its solve, else its close."""
    return solved_at or closed_at


Gap = tuple[datetime, datetime]  # [resolved, reopened): solved, then opened again


def is_open_at(
    created_at: datetime, resolved: datetime | None, at: datetime, gaps: Iterable[Gap] = ()
) -> bool:
    """Open at `at`: created by then, not resolved (`resolved`: its current
    resolution, if any) by then, and not inside an earlier solve that a
    reopening ended (`gaps`)."""
    if created_at > at or (resolved is not None and resolved <= at):
        return False
    return not any(a <= at < b for a, b in gaps)


def backlog(
    items: Iterable[
        tuple[datetime, datetime | None] | tuple[datetime, datetime | None, Sequence[Gap]]
    ],
    at: datetime,
) -> int:
    """Open items at `at`, from (created_at, resolved_at[, gaps]) tuples."""
    return sum(is_open_at(item[0], item[1], at, item[2] if len(item) > 2 else ()) for item in items)


def volume(created: Iterable[datetime], start: datetime, end: datetime) -> int:
    """Items created in [start, end)."""
    return sum(start <= c < end for c in created)


# ----- one row of a report ---------------------------------------------------


@dataclass(frozen=True)
class TicketFacts:
    """What a report needs of one ticket (stored on the ticket as it happens)."""

    created_at: datetime
    first_response_at: datetime | None = None
    first_response_minutes: float | None = None  # working
    first_response_grade: str = ""
    breached: bool = False
    solved_at: datetime | None = None
    closed_at: datetime | None = None
    resolution_minutes: float | None = None  # working
    next_replies: int = 0  # answered clocks after the first response …
    next_reply_minutes: float = 0.0  # … and their working minutes, summed
    next_reply_calendar_minutes: float = 0.0  # … and their calendar minutes, summed
    late_after: datetime | None = None  # of the clock running now, if any
    paused: bool = False  # that clock is paused (pending)

    def breached_by(self, now: datetime) -> bool:
        """A response clock went past "too late": answered too late, or still
        running (not paused) past its late_after at `now`."""
        if self.breached:
            return True
        return self.late_after is not None and not self.paused and self.late_after <= now

    @property
    def first_response_calendar_minutes(self) -> float | None:
        if self.first_response_at is None:
            return None
        return calendar_minutes(self.created_at, self.first_response_at)


@dataclass(frozen=True)
class Row:
    """The figures of one report row (the API's names): every figure is about
    the tickets that arrived in the row, as they stand now, except
    `backlog_end`, which counts open items at the row's end."""

    created: int
    first_responses: int
    frt_p50: float | None
    frt_p90: float | None
    frt_calendar_p50: float | None
    attainment: Attainment
    breaches: int
    solved: int
    mttr_mean: float | None
    mttr_p50: float | None
    mttr_p90: float | None
    backlog_end: int
    next_replies: int = 0
    nrt_mean: float | None = None  # working minutes
    nrt_calendar_mean: float | None = None  # calendar minutes


def row(tickets: Sequence[TicketFacts], backlog_end: int, now: datetime) -> Row:
    """The reference computation of one row (the SQL must agree with it)."""
    answered = [t for t in tickets if t.first_response_minutes is not None]
    frt = summarize(
        t.first_response_minutes for t in answered if t.first_response_minutes is not None
    )
    cal = [m for t in answered if (m := t.first_response_calendar_minutes) is not None]
    mttr = summarize(
        t.resolution_minutes
        for t in tickets
        if t.solved_at is not None and t.resolution_minutes is not None
    )
    replies = sum(t.next_replies for t in tickets)
    return Row(
        created=len(tickets),
        first_responses=len(answered),
        frt_p50=frt.p50,
        frt_p90=frt.p90,
        frt_calendar_p50=percentile(cal, 50),
        attainment=attainment(t.first_response_grade for t in answered),
        breaches=sum(t.breached_by(now) for t in tickets),
        solved=sum(t.solved_at is not None for t in tickets),
        mttr_mean=mttr.mean,
        mttr_p50=mttr.p50,
        mttr_p90=mttr.p90,
        backlog_end=backlog_end,
        next_replies=replies,
        nrt_mean=sum(t.next_reply_minutes for t in tickets) / replies if replies else None,
        nrt_calendar_mean=(
            sum(t.next_reply_calendar_minutes for t in tickets) / replies if replies else None
        ),
    )


# ----- periods: weeks and hero-weeks ----------------------------------------


@dataclass(frozen=True)
class Period:
    """A key of a time-grouped report: a week, or one hero's part of a turn.

    `pieces` are the disjoint [start, end) intervals whose arrivals belong to
    it (one for a week; the hero's final-schedule pieces for a hero-week)."""

    key: str
    start: datetime
    end: datetime
    person: str | None = None
    pieces: tuple[tuple[datetime, datetime], ...] = field(default=())


@dataclass(frozen=True)
class Partition:
    """Disjoint sorted segments [bounds[i], bounds[i+1]) → period index (or None)."""

    periods: tuple[Period, ...]
    bounds: tuple[datetime, ...]
    owners: tuple[int | None, ...]  # len(bounds) - 1

    def index_at(self, t: datetime) -> int | None:
        i = bisect.bisect_right(self.bounds, t) - 1
        return self.owners[i] if 0 <= i < len(self.owners) else None

    def period_at(self, t: datetime) -> Period | None:
        i = self.index_at(t)
        return None if i is None else self.periods[i]


def _partition(periods: list[Period]) -> Partition:
    segments = sorted((a, b, i) for i, p in enumerate(periods) for a, b in p.pieces)
    bounds: list[datetime] = []
    owners: list[int | None] = []
    for a, b, i in segments:
        if bounds and a < bounds[-1]:
            raise ValueError("periods overlap")
        if bounds and a > bounds[-1]:
            owners.append(None)
            bounds.append(a)
        elif not bounds:
            bounds.append(a)
        owners.append(i)
        bounds.append(b)
    return Partition(tuple(periods), tuple(bounds), tuple(owners))


def weeks(start: datetime, end: datetime, tz: ZoneInfo, first_weekday: int = 0) -> Partition:
    """Local weeks (from midnight of `first_weekday`, 0 = Monday) cut to [start, end).

    Keys are the local date the week starts on (YYYY-MM-DD)."""
    if end <= start:
        raise ValueError("end must be after start")
    local = start.astimezone(tz)
    day = local.date() - timedelta(days=(local.weekday() - first_weekday) % 7)
    periods = []
    while True:
        lo = datetime(day.year, day.month, day.day, tzinfo=tz)
        nxt = day + timedelta(days=7)
        hi = datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz)
        a, b = max(lo, start), min(hi, end)
        if a < b:
            periods.append(Period(day.isoformat(), a, b, None, ((a, b),)))
        if hi >= end:
            break
        day = nxt
    return _partition(periods)


def _turns(schedule: Schedule, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Rotation turns touching [start, end), each from its first piece to the next
    turn's first piece (restriction gaps inside a turn belong to it). Turns are
    found over a window widened by the longest turn, so a turn's start does not
    depend on where the report starts."""
    margin = timedelta(days=1 + max((v.turn_days for v in schedule.versions), default=0))
    base = Schedule(schedule.versions, ()).final(start - margin, end + margin)
    starts: list[datetime] = []
    last: tuple[int | None, str | None] | None = None
    for piece in base:
        if piece.source != "rotation":
            continue
        key = (piece.turn_index, piece.person)
        if key != last:
            starts.append(piece.start)
            last = key
    tail = [p.end for p in base if p.source == "rotation"]
    return [(a, b) for a, b in zip(starts, starts[1:] + tail[-1:], strict=False)]


def _week_key(person: str | None, turn_start: datetime) -> str:
    return f"{turn_start.strftime('%Y-%m-%dT%H:%MZ')}/{person or NOBODY}"


def hero_weeks(schedule: Schedule, start: datetime, end: datetime) -> Partition:
    """Hero-weeks of [start, end): the final schedule's pieces (overrides
    included) grouped by (hero, rotation turn). Time nobody covers is one
    period keyed "nobody"; a piece outside every turn is its own turn."""
    pieces = schedule.final(start, end)
    turns = _turns(schedule, start, end)
    turn_starts = [a for a, _ in turns]
    found: dict[str, list[tuple[datetime, datetime]]] = {}
    people: dict[str, str | None] = {}
    for piece in pieces:
        for a, b, turn_start in _split(piece, turns, turn_starts):
            key = NOBODY if piece.person is None else _week_key(piece.person, turn_start)
            found.setdefault(key, []).append((a, b))
            people[key] = piece.person
    periods = [
        Period(key, spans[0][0], spans[-1][1], people[key], _joined(spans))
        for key, spans in found.items()
    ]
    periods.sort(key=lambda p: (p.person is None, p.start, p.key))
    return _partition(periods)


def _split(
    piece: Shift, turns: list[tuple[datetime, datetime]], turn_starts: list[datetime]
) -> list[tuple[datetime, datetime, datetime]]:
    """`piece` cut at turn edges: (start, end, turn start) parts."""
    out = []
    cursor = piece.start
    while cursor < piece.end:
        i = bisect.bisect_right(turn_starts, cursor) - 1
        if i >= 0 and cursor < turns[i][1]:
            hi = min(piece.end, turns[i][1])
            out.append((cursor, hi, turns[i][0]))
        else:  # outside every turn: up to the next turn or the piece's end
            nxt = turn_starts[i + 1] if i + 1 < len(turn_starts) else piece.end
            hi = min(piece.end, nxt)
            out.append((cursor, hi, piece.start))
        cursor = hi
    return out


def _joined(spans: list[tuple[datetime, datetime]]) -> tuple[tuple[datetime, datetime], ...]:
    out: list[tuple[datetime, datetime]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)
