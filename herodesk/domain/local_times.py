"""Times shown in the zone of the person (or team) they describe (pure).

Pages show a time in the zone it belongs to, labelled, e.g. a hand-off
candidate in São Paulo reads "17:45 in São Paulo, until 18:00"; a shift on
the schedule reads "09:00 GMT" for Ana and "06:00 -03" for Lucía. `label`
gives the zone's abbreviation ("GMT", "EST", "CET") or its UTC offset
("UTC−3") where the zone has no letters; `city` a readable place name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from herodesk.domain.business_hours import Calendar

# Place names the IANA key spells without accents.
CITIES = {
    "America/Sao_Paulo": "São Paulo",
    "America/Bogota": "Bogotá",
    "America/Mexico_City": "Mexico City",
    "Europe/Zurich": "Zürich",
    "America/Asuncion": "Asunción",
    "Asia/Ho_Chi_Minh": "Ho Chi Minh City",
    "UTC": "UTC",
}


def city(zone: str) -> str:
    """'America/Sao_Paulo' → 'São Paulo'; 'America/Argentina/Buenos_Aires' → 'Buenos Aires'."""
    return CITIES.get(zone) or zone.rsplit("/", 1)[-1].replace("_", " ")


def offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def label(t: datetime, zone: str) -> str:
    """The zone's abbreviation at `t` ("GMT", "BST", "EST") or "UTC−3"."""
    local = t.astimezone(ZoneInfo(zone))
    name = local.tzname() or ""
    return name if name.isalpha() else offset(local.utcoffset())


def hm(t: datetime, zone: str) -> str:
    """'17:45' in `zone`."""
    return t.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def stamp(t: datetime, zone: str, fmt: str = "%a %-d %b %H:%M") -> str:
    """'Tue 5 Mar 09:00 GMT': a time with its zone label."""
    return f"{t.astimezone(ZoneInfo(zone)).strftime(fmt)} {label(t, zone)}"


@dataclass(frozen=True)
class Available:
    """When a person is next inside their working hours."""

    key: str
    at: datetime  # UTC
    zone: str

    def describe(self) -> str:
        """'Mon 09:00 São Paulo'."""
        return f"{self.at.astimezone(ZoneInfo(self.zone)).strftime('%a %H:%M')} {city(self.zone)}"


def next_available(
    people: list[tuple[str, Calendar, list[tuple[datetime, datetime]]]],
    after: datetime,
    horizon: timedelta = timedelta(days=14),
) -> Available | None:
    """Who is first inside their working hours after `after` (time off skipped);
    ties go to the earlier entry of `people`. None when nobody within `horizon`."""
    best: Available | None = None
    for key, cal, off in people:
        at = _first_free(cal, sorted(off), after, after + horizon)
        if at is not None and (best is None or at < best.at):
            best = Available(key, at, cal.time_zone)
    return best


def _first_free(
    cal: Calendar, off: list[tuple[datetime, datetime]], after: datetime, until: datetime
) -> datetime | None:
    t = after
    while t < until:
        t = cal.next_open(t)
        blocking = next((e for s, e in off if s <= t < e), None)
        if blocking is None:
            return t if t < until else None
        t = blocking
    return None
