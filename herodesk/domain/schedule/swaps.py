"""Swaps, time off and override checks on top of the schedule engine (SPEC §1).

Pure Python, no Django. Re-exported by the package `herodesk.domain.schedule`;
import from there.

Rules
-----
* Overrides of one team may not overlap: `find_overlaps` lists the existing
  overrides that share time with a candidate (an override never overlaps
  itself, matched by id, so an edit can be checked against its old rows).
* A swap is one pair of overrides and never touches the rotation order:
  B covers A's shift and A covers B's. With `days`, only the parts of each
  shift that fall on those local days (midnight to midnight in `tz`, resolved
  like every wall-clock time) are traded; each shift must keep at least one.
* Time off collides with every final piece of the person that overlaps it;
  the pieces are returned whole (as `Schedule.who` gives them), not clipped.
* Swap partners: team members other than the person, minus whoever holds the
  nearest other-person, non-gap piece right before or right after the
  conflicting shift (taking the swap would give them a double shift), minus
  whoever covers the conflict itself; ordered by fewest shifts in the
  `lookback` before `now` (a rotation turn counts once however it is cut; each
  override counts once), then by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from herodesk.domain.schedule import engine
from herodesk.domain.schedule.engine import Override, Schedule, Shift

_NEIGHBOUR_REACH = timedelta(days=31)


def find_overlaps(overrides: Sequence[Override], candidate: Override) -> list[Override]:
    """The overrides (other than the candidate itself) sharing time with it."""
    return sorted(
        (
            o
            for o in overrides
            if o.id != candidate.id and o.start < candidate.end and candidate.start < o.end
        ),
        key=lambda o: (o.start, o.end),
    )


def _day_parts(shift: Shift, days: Sequence[date], tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """The parts of `shift` on each chosen local day, joined where they touch."""
    parts: list[tuple[datetime, datetime]] = []
    for d in sorted(set(days)):
        lo = max(engine.wall_clock(d, time(0), tz), shift.start)
        hi = min(engine.wall_clock(d + timedelta(days=1), time(0), tz), shift.end)
        if lo >= hi:
            continue
        if parts and parts[-1][1] == lo:
            parts[-1] = (parts[-1][0], hi)
        else:
            parts.append((lo, hi))
    return parts


def swap_overrides(
    a_person: str,
    a_shift: Shift,
    b_person: str,
    b_shift: Shift,
    days: Sequence[date] | None,
    tz: str | ZoneInfo,
) -> list[tuple[str, datetime, datetime]]:
    """The overrides of a swap as (person, start, end): B covers A's shift (or
    its chosen local days) and A covers B's. Whole shifts when `days` is None."""
    if a_person == b_person:
        raise engine.ScheduleError("counterpart: cannot swap with yourself")
    for shift, name in ((a_shift, "shift"), (b_shift, "counterpart_shift")):
        if shift.end <= shift.start:
            raise engine.ScheduleError(f"{name}: end must be after start")
    if a_shift.start < b_shift.end and b_shift.start < a_shift.end:
        raise engine.ScheduleError("counterpart_shift: the two shifts overlap")
    if days is None:
        return [(b_person, a_shift.start, a_shift.end), (a_person, b_shift.start, b_shift.end)]
    zone = tz if isinstance(tz, ZoneInfo) else engine.validate_time_zone(tz)
    give, take = _day_parts(a_shift, days, zone), _day_parts(b_shift, days, zone)
    if not give or not take:
        raise engine.ScheduleError("days: pick at least one day of each shift")
    return [(b_person, lo, hi) for lo, hi in give] + [(a_person, lo, hi) for lo, hi in take]


def shifts_colliding(
    schedule: Schedule, person: str, off_start: datetime, off_end: datetime
) -> list[Shift]:
    """`person`'s whole final pieces that overlap time off [off_start, off_end)."""
    return [schedule.who(p.start) for p in schedule.shifts_for(person, off_start, off_end)]


def _neighbours(schedule: Schedule, person: str, conflict: Shift) -> set[str]:
    """Who holds the nearest non-gap piece of someone else before and after
    `conflict`, and who covers the conflict itself."""
    out = {p.person for p in schedule.final(conflict.start, conflict.end) if p.person}
    before = schedule.final(conflict.start - _NEIGHBOUR_REACH, conflict.start)
    after = schedule.final(conflict.end, conflict.end + _NEIGHBOUR_REACH)
    for pieces in (reversed(before), iter(after)):
        found = next((p.person for p in pieces if p.person and p.person != person), None)
        if found:
            out.add(found)
    return out


def _recent_counts(schedule: Schedule, now: datetime, lookback: timedelta) -> dict[str, int]:
    """Shifts per person in [now - lookback, now): a turn once, each override once."""
    counts: dict[str, int] = {}
    if lookback <= timedelta(0):
        return counts
    last_turn: dict[str, int | None] = {}  # the person's latest rotation turn
    for p in schedule.final(now - lookback, now):
        if p.person is None:
            continue
        if p.source == "rotation":
            if p.person in last_turn and last_turn[p.person] == p.turn_index:
                continue  # the same turn, cut by an override or a restriction
            last_turn[p.person] = p.turn_index
        counts[p.person] = counts.get(p.person, 0) + 1
    return counts


def propose_swap_partners(
    schedule: Schedule,
    team_members: Sequence[str],
    person: str,
    conflict: Shift,
    now: datetime,
    lookback: timedelta = timedelta(days=90),
) -> list[str]:
    """Who could take `conflict` off `person`, best first (see the module rules)."""
    excluded = _neighbours(schedule, person, conflict) | {person}
    counts = _recent_counts(schedule, now, lookback)
    candidates = {m for m in team_members if m not in excluded}
    return sorted(candidates, key=lambda m: (counts.get(m, 0), m))
