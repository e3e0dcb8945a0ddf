"""Parsing the settings forms: plain values in, Invalid naming the field out."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from herodesk.domain.tiers import Tier
from herodesk.lib.errors import Invalid

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_LABELS = dict(
    zip(
        DAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
_WINDOW = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*$")
TARGET_KINDS = ("great", "okay", "late")


def zone(raw: str, field: str = "time_zone") -> str:
    name = (raw or "").strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"unknown time zone {name!r} (e.g. Europe/London)", field=field) from None
    return name


def hours_text(hours: dict[str, Any]) -> dict[str, str]:
    """{"mon": [["09:00","17:00"]]} → {"mon": "09:00–17:00"} for the form."""
    return {d: ", ".join(f"{a}–{b}" for a, b in hours.get(d, [])) for d in DAYS}


def parse_hours(data: Any) -> dict[str, list[list[str]]]:
    """Fields hours-mon … hours-sun: "09:00-17:00, 18:00-20:00"; empty = closed."""
    out: dict[str, list[list[str]]] = {}
    for day in DAYS:
        text = (data.get(f"hours-{day}") or "").strip()
        if not text:
            continue
        windows = []
        for part in text.split(","):
            match = _WINDOW.match(part)
            if match is None:
                raise Invalid(
                    f"{DAY_LABELS[day]}: write hours like 09:00-17:00 "
                    "(several separated by commas)",
                    field=f"hours-{day}",
                )
            windows.append([match.group(1).zfill(5), match.group(2).zfill(5)])
        out[day] = windows
    return out


def parse_targets(data: Any) -> dict[str, dict[str, int]]:
    """Fields sla-<tier>-<great|okay|late> in minutes; empty = the default."""
    out: dict[str, dict[str, int]] = {}
    for tier in Tier:
        row = {}
        for kind in TARGET_KINDS:
            raw = (data.get(f"sla-{tier.value}-{kind}") or "").strip()
            if not raw:
                continue
            if not raw.isdigit() or int(raw) < 1:
                raise Invalid(
                    f"T{tier.value} {kind}: minutes must be a whole number above 0",
                    field=f"sla-{tier.value}-{kind}",
                )
            row[kind] = int(raw)
        if row:
            out[str(tier.value)] = row
    return out


def parse_rotation(data: Any, usernames: list[str]) -> dict[str, Any]:
    """The rotation form → rotation_set() keyword arguments (without team/actor)."""
    order = []
    for name in usernames:
        raw = (data.get(f"pos-{name}") or "").strip()
        if not raw:
            continue
        if not raw.isdigit():
            raise Invalid(
                f"{name}: the position is a number (empty = not in the rotation)",
                field=f"pos-{name}",
            )
        order.append((int(raw), name))
    if not order:
        raise Invalid("give at least one member a position", field="members")
    tz_name = zone(data.get("time_zone", ""))
    tz = ZoneInfo(tz_name)
    try:
        start_day = date.fromisoformat(data.get("start_date", ""))
        handoff = time.fromisoformat(data.get("handoff_time", ""))
    except ValueError:
        raise Invalid("pick the first day and the handoff time", field="start_date") from None
    turn = (data.get("turn_days") or "7").strip()
    if not turn.isdigit():
        raise Invalid("turn length is a number of days", field="turn_days")
    weekday = (data.get("handoff_weekday") or "").strip()
    if weekday and weekday not in {str(i) for i in range(7)}:
        raise Invalid("pick a handoff weekday", field="handoff_weekday")
    effective = (data.get("effective_from") or "").strip()
    try:
        effective_at = (
            datetime.combine(date.fromisoformat(effective), handoff, tz) if effective else None
        )
    except ValueError:
        raise Invalid("effective from: pick a date", field="effective_from") from None
    return {
        "members": [name for _, name in sorted(order)],
        "start": datetime.combine(start_day, handoff, tz),
        "turn_days": int(turn),
        "handoff_time": handoff.strftime("%H:%M"),
        "time_zone": tz_name,
        "handoff_weekday": int(weekday) if weekday else None,
        "effective_from": effective_at,
    }
