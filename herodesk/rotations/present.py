"""Rotation objects → JSON-ready dicts (API) and instants parsed from text
(API query strings, CLI arguments)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from herodesk.domain import schedule as engine
from herodesk.lib.errors import Invalid
from herodesk.rotations.models import Override, RotationVersion, SwapRequest, TimeOff
from herodesk.teams.models import Person

# "2025-03-31T09:00:00 01:00": a '+' that a query string turned into a space.
_LOST_PLUS = re.compile(r"^(.*T[\d:.]+) (\d{2}:?\d{2})$")


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def parse_instant(
    value: str | None, field: str, zone: ZoneInfo | None = None, default: datetime | None = None
) -> datetime:
    """An aware instant from ISO 8601 text. A bare date (YYYY-MM-DD) means local
    midnight in `zone` when one is given; a time without an offset is refused."""
    text = (value or "").strip()
    if not text:
        if default is None:
            raise Invalid(f"{field} is required", field=field)
        return default
    text = _LOST_PLUS.sub(r"\1+\2", text)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        if zone is not None and len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0), zone)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(
            f"{field}: {value!r} is not an ISO 8601 instant (e.g. 2025-03-31T09:00:00+01:00)",
            field=field,
        ) from None
    if parsed.tzinfo is None:
        raise Invalid(f"{field} must include a UTC offset (e.g. 2025-03-31T09:00:00Z)", field=field)
    return parsed


def name_of(username: str | None, people: dict[str, Person]) -> str | None:
    if username is None:
        return None
    person = people.get(username)
    return person.display_name if person is not None else username


def shift(s: engine.Shift, people: dict[str, Person]) -> dict[str, Any]:
    return {
        "person": s.person,
        "name": name_of(s.person, people),
        "start": iso(s.start),
        "end": iso(s.end),
        "source": s.source,
        "override_id": int(s.override_id) if s.override_id is not None else None,
    }


def version(v: RotationVersion, members: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": v.pk,
        "members": members if members is not None else v.usernames(),
        "start": iso(v.start),
        "turn_days": v.turn_days,
        "handoff_time": v.handoff_time.strftime("%H:%M"),
        "handoff_weekday": v.handoff_weekday,
        "time_zone": v.time_zone,
        "effective_from": iso(v.effective_from),
        "effective_until": iso(v.effective_until),
        "restrictions": v.restrictions,
    }


def override(o: Override) -> dict[str, Any]:
    return {
        "id": o.pk,
        "team": o.team.slug,
        "person": o.person.user.username,
        "start": iso(o.start),
        "end": iso(o.end),
        "reason": o.reason,
        "swap": o.swap_id,
        "created_by": o.created_by.get_username() if o.created_by else None,
        "created_at": iso(o.created_at),
    }


def swap(sw: SwapRequest) -> dict[str, Any]:
    return {
        "id": sw.pk,
        "team": sw.team.slug,
        "requester": sw.requester.user.username,
        "counterpart": sw.counterpart.user.username,
        "give_start": iso(sw.give_start),
        "give_end": iso(sw.give_end),
        "take_start": iso(sw.take_start),
        "take_end": iso(sw.take_end),
        "days": sw.days,
        "overrides": sw.plan,
        "message": sw.message,
        "status": sw.status,
        "direct": sw.direct,
        "created_at": iso(sw.created_at),
        "decided_at": iso(sw.decided_at),
        "decided_by": sw.decided_by.get_username() if sw.decided_by else None,
    }


def time_off(row: TimeOff, conflicts: list[Any]) -> dict[str, Any]:
    return {
        "id": row.pk,
        "person": row.person.user.username,
        "start": iso(row.start),
        "end": iso(row.end),
        "reason": row.reason,
        "conflicts": [
            {
                "team": c.team.slug,
                "start": iso(c.shift.start),
                "end": iso(c.shift.end),
                "source": c.shift.source,
                "partners": c.partners,
            }
            for c in conflicts
        ],
    }


def hours(p: Person) -> dict[str, Any]:
    return {
        "username": p.user.username,
        "time_zone": p.time_zone,
        "hours": p.calendar().to_spec(),
        "holiday_country": p.holiday_country or None,
        "holiday_subdivision": p.holiday_subdiv or None,
    }
