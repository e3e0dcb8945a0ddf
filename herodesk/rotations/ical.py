"""iCalendar (RFC 5545) documents of final schedules, built with `icalendar`.

One VEVENT per shift (overrides applied; the team feed also shows gaps).
Times carry the rotation's TZID with a matching VTIMEZONE, so a 09:00 London
handoff reads 09:00 in every client across DST. UIDs depend only on the
shift (team, person, start), so a shift keeps its UID from one fetch to the
next and a changed shift shows up as a new event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from herodesk.domain import schedule as engine

if TYPE_CHECKING:
    import icalendar

PRODID = "-//HeroDesk//Support Hero rotations//EN"
PAST = timedelta(days=30)
FUTURE = timedelta(days=180)


@dataclass(frozen=True)
class FeedShift:
    team_id: int
    team_name: str
    shift: engine.Shift
    person_name: str | None
    zone: ZoneInfo


def uid(team_id: int, shift: engine.Shift) -> str:
    start = shift.start.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
    return f"shift-{team_id}-{start}-{shift.person or 'gap'}@herodesk"


def feed_window(now: datetime) -> tuple[datetime, datetime]:
    return now - PAST, now + FUTURE


def _summary(item: FeedShift, person_feed: bool) -> str:
    if item.shift.person is None:
        return f"No support hero — {item.team_name}"
    if person_feed:
        return f"Support Hero — {item.team_name}"
    return f"Support Hero: {item.person_name or item.shift.person}"


def _description(item: FeedShift) -> str:
    s = item.shift
    if s.source == "gap":
        return "Nobody is scheduled: set an override or fix the rotation."
    kind = "Override" if s.source == "override" else "Rotation shift"
    fmt = "%a %d %b %H:%M"
    lo, hi = s.start.astimezone(item.zone), s.end.astimezone(item.zone)
    local = f"{lo:{fmt}} → {hi:{fmt}} ({item.zone.key})"
    return f"{kind}: {item.person_name or s.person} is Support Hero of {item.team_name}.\n{local}"


def _event(item: FeedShift, stamp: datetime, person_feed: bool) -> icalendar.Event:
    # lazy: icalendar (~60 ms to import) loads with the first feed, not at every start-up.
    import icalendar

    ev = icalendar.Event()
    ev.add("uid", uid(item.team_id, item.shift))
    ev.add("dtstamp", stamp)
    ev.add("dtstart", item.shift.start.astimezone(item.zone))
    ev.add("dtend", item.shift.end.astimezone(item.zone))
    ev.add("summary", _summary(item, person_feed))
    ev.add("description", _description(item))
    ev.add("transp", "TRANSPARENT")  # being hero does not make you busy
    ev.add("categories", [item.shift.source])
    return ev


def calendar(
    name: str, items: Iterable[FeedShift], *, now: datetime, person_feed: bool = False
) -> bytes:
    """A VCALENDAR with one VEVENT per item and a VTIMEZONE per zone used."""
    # lazy: as in _event().
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-published-ttl", "PT1H")
    zones: dict[str, ZoneInfo] = {}
    events = []
    stamp = now.astimezone(ZoneInfo("UTC")).replace(microsecond=0)
    for item in items:
        zones[item.zone.key] = item.zone
        events.append(_event(item, stamp, person_feed))
    first, last = (now - PAST - FUTURE).date(), (now + 2 * FUTURE).date()
    for zone in zones.values():
        if zone.key != "UTC":
            cal.add_component(
                icalendar.Timezone.from_tzinfo(zone, first_date=first, last_date=last)
            )
    for ev in events:
        cal.add_component(ev)
    return bytes(cal.to_ical())
