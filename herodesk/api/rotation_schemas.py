"""Pydantic schemas of the rotation endpoints (part of the OpenAPI document).

Instants are ISO 8601 strings with a UTC offset. Query parameters are taken
as strings and parsed by the endpoint, so a '+01:00' that arrived as
' 01:00' (an unencoded '+') still works and a bad value names its field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class RotationIn(Schema):
    members: list[str] = Field(..., description="usernames in rotation order")
    start: datetime = Field(..., description="when the first member's first turn starts")
    turn_days: int = Field(7, description="turn length in days")
    handoff_time: str | None = Field(
        None, description="local wall-clock HH:MM of each handoff; default: start's local time"
    )
    handoff_weekday: int | None = Field(
        None, description="0=Monday … 6=Sunday; default: every turn_days days from start"
    )
    time_zone: str | None = Field(None, description="IANA zone; default: the team's")
    effective_from: datetime | None = Field(
        None, description="when this order takes over (default: now; a first rotation: start)"
    )
    restrictions: list[Any] | None = Field(
        None,
        description='weekly local windows the rotation covers, e.g. [{"weekday": 0, '
        '"start": "09:00", "end": "17:00"}]; outside them: a gap. Default: always on',
    )


class WindowOut(Schema):
    weekday: int
    start: str
    end: str


class RotationVersionOut(Schema):
    id: int
    members: list[str]
    start: str
    turn_days: int
    handoff_time: str
    handoff_weekday: int | None
    time_zone: str
    effective_from: str | None
    effective_until: str | None
    restrictions: list[WindowOut]


class RotationOut(RotationVersionOut):
    team: str
    versions: list[RotationVersionOut] = Field(
        ..., description="the version in force now and any scheduled after it"
    )


class ShiftOut(Schema):
    person: str | None = Field(..., description="username; null in a gap")
    name: str | None
    start: str
    end: str
    source: str = Field(..., description="rotation, override or gap")
    override_id: int | None = None


class OncallOut(Schema):
    team: str
    at: str
    hero: str | None = Field(..., description="username of the hero; null in a gap")
    hero_name: str | None
    start: str
    end: str
    source: str
    override_id: int | None
    time_zone: str | None


class GapOut(Schema):
    start: str
    end: str


class ScheduleOut(Schema):
    team: str
    start: str
    end: str
    time_zone: str
    shifts: list[ShiftOut]
    gaps: list[GapOut]


class PersonShiftOut(ShiftOut):
    team: str


class OverrideIn(Schema):
    person: str = Field(..., description="username of who covers")
    start: datetime
    end: datetime
    reason: str = Field("", max_length=300)
    replace: bool = Field(False, description="trim overlapping overrides instead of refusing")


class OverrideOut(Schema):
    id: int
    team: str
    person: str
    start: str
    end: str
    reason: str
    swap: int | None
    created_by: str | None
    created_at: str


class SwapIn(Schema):
    team: str
    counterpart: str = Field(..., description="username of the other person")
    shift: datetime | None = Field(
        None, description="an instant inside the requester's shift to trade"
    )
    counterpart_shift: datetime | None = Field(
        None, description="an instant inside the counterpart's shift (default: their next one)"
    )
    start: datetime | None = Field(None, description="instead of shift: the interval to give")
    end: datetime | None = None
    days: list[str] = Field(
        default_factory=list,
        description="local dates (YYYY-MM-DD) of the requester's shift; empty = whole shifts",
    )
    message: str = Field("", max_length=2000)
    person: str | None = Field(
        None, description="leads: swap on behalf of this person (made directly, no acceptance)"
    )


class PlannedOverride(Schema):
    person: str
    start: str
    end: str


class SwapOut(Schema):
    id: int
    team: str
    requester: str
    counterpart: str
    give_start: str
    give_end: str
    take_start: str
    take_end: str
    days: list[str]
    overrides: list[PlannedOverride]
    message: str
    status: str
    direct: bool
    created_at: str
    decided_at: str | None
    decided_by: str | None


class WorkingOut(Schema):
    username: str
    name: str
    time_zone: str
    local_time: str
    teams: list[str]
    same_team: bool


class TimeOffIn(Schema):
    start: datetime
    end: datetime
    reason: str = Field("", max_length=300)


class ConflictOut(Schema):
    team: str
    start: str
    end: str
    source: str
    partners: list[str] = Field(..., description="proposed swap partners, best first")


class TimeOffOut(Schema):
    id: int
    person: str
    start: str
    end: str
    reason: str
    conflicts: list[ConflictOut]


class HoursIn(Schema):
    time_zone: str | None = None
    hours: dict[str, Any] | None = None
    holiday_country: str | None = None
    holiday_subdivision: str | None = None


class HoursOut(Schema):
    username: str
    time_zone: str
    hours: dict[str, list[list[str]]]
    holiday_country: str | None
    holiday_subdivision: str | None


class FeedOut(Schema):
    url: str | None = Field(..., description="secret iCalendar URL; null until made")
    created_at: str | None
