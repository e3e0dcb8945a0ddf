"""Pydantic schemas of the rotation endpoints (part of the OpenAPI document).

Instants are ISO 8601 strings with a UTC offset. Query parameters are taken
as strings and parsed by the endpoint, so a '+01:00' that arrived as
' 01:00' (an unencoded '+') still works and a bad value names its field.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema

from herodesk.api.types import Bool, Day, In, Instant, Int

Name = Annotated[str, Field(max_length=150)]


class RotationIn(In):
    members: list[Name] = Field(
        ..., min_length=1, max_length=100, description="usernames in rotation order"
    )
    start: Instant = Field(..., description="when the first member's first turn starts")
    turn_days: Int = Field(7, ge=1, le=366, description="turn length in days")
    handoff_time: str | None = Field(
        None,
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        description="local wall-clock HH:MM of each handoff; default: start's local time",
    )
    handoff_weekday: Int | None = Field(
        None,
        ge=0,
        le=6,
        description="0=Monday … 6=Sunday; default: every turn_days days from start",
    )
    time_zone: str | None = Field(None, max_length=64, description="IANA zone; default: the team's")
    effective_from: Instant | None = Field(
        None, description="when this order takes over (default: now; a first rotation: start)"
    )
    restrictions: list[Any] | None = Field(
        None,
        max_length=100,
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


class OverrideIn(In):
    person: str = Field(..., max_length=150, description="username of who covers")
    start: Instant
    end: Instant
    reason: str = Field("", max_length=300)
    replace: Bool = Field(False, description="trim overlapping overrides instead of refusing")


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


class SwapIn(In):
    team: str = Field(..., max_length=50)
    counterpart: str = Field(..., max_length=150, description="username of the other person")
    shift: Instant | None = Field(
        None, description="an instant inside the requester's shift to trade"
    )
    counterpart_shift: Instant | None = Field(
        None, description="an instant inside the counterpart's shift (default: their next one)"
    )
    start: Instant | None = Field(None, description="instead of shift: the interval to give")
    end: Instant | None = None
    days: list[Day] = Field(
        default_factory=list,
        max_length=366,
        description="local dates (YYYY-MM-DD) of the requester's shift; empty = whole shifts",
    )
    message: str = Field("", max_length=2000)
    person: str | None = Field(
        None,
        max_length=150,
        description="leads: swap on behalf of this person (made directly, no acceptance)",
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


class TimeOffIn(In):
    start: Instant
    end: Instant
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


class HoursIn(In):
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
