"""Rotation hand-offs versus cover (SPEC §1, §7). Pure Python, no Django.

Every change of hero in the final schedule is one of:

* a **hand-off** (`"handoff"`): a rotation turn ends. The change falls on a
  rotation boundary (a turn or version edge of the schedule without
  overrides), or it is an edge of an override that runs across such a
  boundary (the outgoing hero is not on again in their turn);
* a **cover start** (`"cover_start"`) or **cover end** (`"cover_end"`): an
  edge of an override that lies inside one rotation turn — someone covers a
  few hours and the hero of the turn is back afterwards. Cover never moves
  tickets and never makes a hand-off report.

Back-to-back overrides inside one turn are cover changes (`"cover_start"`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from herodesk.domain.schedule.engine import Override, Schedule, Shift

ChangeKind = Literal["handoff", "cover_start", "cover_end"]


@dataclass(frozen=True, slots=True)
class Change:
    """A change of hero at `instant`: `outgoing` → `incoming` (None = a gap)."""

    instant: datetime
    outgoing: str | None
    incoming: str | None
    kind: ChangeKind
    # The override whose edge this is (cover changes; hand-offs at an override edge).
    override_id: str | int | None = None


def _boundaries(schedule: Schedule, lo: datetime, hi: datetime) -> list[datetime]:
    """Instants in (lo, hi) where the schedule without overrides changes piece."""
    base = Schedule(schedule.versions, []).final(lo, hi)
    return [p.start for p in base[1:]]


def _crosses(bounds: list[datetime], o: Override) -> bool:
    """Whether a rotation boundary lies strictly inside the override."""
    return any(o.start < b < o.end for b in bounds)


def _margin(schedule: Schedule) -> timedelta:
    longest = max((o.end - o.start for o in schedule.overrides), default=timedelta(0))
    return longest + timedelta(days=1)


def classify(schedule: Schedule, start: datetime, end: datetime) -> list[Change]:
    """Every change of hero inside (start, end), classified (see the module rules)."""
    margin = _margin(schedule)
    lo, hi = start - margin, end + margin
    bounds = _boundaries(schedule, lo, hi)
    at_boundary = set(bounds)
    overrides: dict[str | int | None, Override] = {o.id: o for o in schedule.overrides}
    shifts: list[Shift] = schedule.final(start, end)
    out: list[Change] = []
    for prev, cur in zip(shifts, shifts[1:], strict=False):
        if prev.person == cur.person or not start < cur.start < end:
            continue
        t = cur.start
        after = overrides.get(cur.override_id) if cur.source == "override" else None
        before = overrides.get(prev.override_id) if prev.source == "override" else None
        edge = after or before
        if t in at_boundary or any(o is not None and _crosses(bounds, o) for o in (after, before)):
            kind: ChangeKind = "handoff"
        else:
            kind = "cover_start" if after is not None else "cover_end"
        out.append(Change(t, prev.person, cur.person, kind, edge.id if edge else None))
    return out


def rotation_handoffs(schedule: Schedule, start: datetime, end: datetime) -> list[Change]:
    """Only the hand-offs of `classify` (what makes a report and moves tickets)."""
    return [c for c in classify(schedule, start, end) if c.kind == "handoff"]
