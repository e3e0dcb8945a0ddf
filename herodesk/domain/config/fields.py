"""Checkers for the values of a setup file. Each takes the raw TOML value and
returns its normal form (the same form the current state is described in, so
that comparing the two is plain equality) or raises `Bad` with a message."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from herodesk.domain import schedule as engine
from herodesk.domain.business_hours import WEEKDAYS, Calendar, CalendarError
from herodesk.domain.tiers import Tier

Checker = Callable[[Any], Any]

USERNAME = re.compile(r"[A-Za-z0-9_.@+-]{1,150}")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLACK_ID = re.compile(r"[A-Z0-9]{3,32}")
REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
WINDOW = re.compile(r"(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})")
RESTRICTION = re.compile(r"([a-z]{3})\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})")
TIER_SLUGS = [t.slug for t in Tier]
SLA_KEYS = ("great", "okay", "late")


class Bad(ValueError):
    """A value the file may not hold; the message says what it may hold."""


def _plain(exc: Exception) -> str:
    """An engine message without its leading "field: " (the caller names the key)."""
    return re.sub(r"^[a-z_]+: ", "", str(exc))


def text(max_length: int, *, empty: bool = True) -> Checker:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise Bad("must be a string")
        value = value.strip()
        if not value and not empty:
            raise Bad("must not be empty")
        if len(value) > max_length:
            raise Bad(f"is too long (at most {max_length} characters)")
        return value

    return check


def pattern(regex: re.Pattern[str], what: str, *, lower: bool = False) -> Checker:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not regex.fullmatch(value.strip()):
            raise Bad(f"must be {what}, not {value!r}")
        return value.strip().lower() if lower else value.strip()

    return check


def choice(*options: str) -> Checker:
    def check(value: Any) -> str:
        if value not in options:
            raise Bad(f"must be one of {', '.join(repr(o) for o in options)}, not {value!r}")
        return str(value)

    return check


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Bad("must be true or false")
    return value


def integer(low: int, high: int) -> Checker:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Bad(f"must be a whole number from {low} to {high}")
        return value

    return check


def optional_integer(low: int, high: int) -> Checker:
    """A number, or 0 for "not set" (TOML has no null)."""
    inner = integer(0, high)

    def check(value: Any) -> int:
        value = inner(value)
        if value and value < low:
            raise Bad(f"must be 0 (off) or a whole number from {low} to {high}")
        return int(value)

    return check


def strings(item: Checker, *, unique: bool = True) -> Checker:
    def check(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise Bad("must be a list")
        out = []
        for i, v in enumerate(value):
            try:
                out.append(item(v))
            except Bad as exc:
                raise Bad(f"item {i + 1}: {exc}") from None
        if unique and len(set(out)) != len(out):
            twice = next(v for v in out if out.count(v) > 1)
            raise Bad(f"lists {twice!r} twice")
        return out

    return check


def email(value: Any) -> str:
    if not isinstance(value, str):
        raise Bad("must be a string")
    if not value.strip():
        return ""
    # lazy: email-validator (its tables take ~30 ms) loads on the first address checked.
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Bad(f"is not an email address: {exc}") from None


def time_zone(value: Any) -> str:
    if not isinstance(value, str):
        raise Bad('must be a string such as "Europe/London"')
    try:
        engine.validate_time_zone(value)
    except engine.ScheduleError as exc:
        raise Bad(_plain(exc)) from None
    return value


def holidays(value: Any) -> str:
    """ "GB-ENG" (country, optional subdivision) or "" for none → "GB-ENG"."""
    if not isinstance(value, str):
        raise Bad('must be a string such as "GB-ENG", "US" or ""')
    country, _, subdiv = value.strip().partition("-")
    if not country:
        return ""
    try:
        cal = Calendar.default("UTC", country, subdiv or None)
    except CalendarError as exc:
        raise Bad(_plain(exc)) from None
    # As written (GB stays GB: the calendar picks England for it, as the desk does).
    return join_holidays(cal.holiday_country or "", cal.holiday_subdiv or "" if subdiv else "")


def join_holidays(country: str, subdiv: str) -> str:
    return f"{country}-{subdiv}" if country and subdiv else country


def split_holidays(value: str) -> tuple[str, str]:
    country, _, subdiv = value.partition("-")
    return country, subdiv


def hours(value: Any) -> dict[str, list[str]]:
    """{mon = ["09:00-17:00"], …} → the same with days in order, closed days left out."""
    if not isinstance(value, dict):
        raise Bad('must be a table such as { mon = ["09:00-17:00"], tue = ["09:00-17:00"] }')
    spec: dict[str, list[list[str]]] = {}
    for day, windows in value.items():
        if not isinstance(windows, list) or not all(isinstance(w, str) for w in windows):
            raise Bad(f'{day}: must be a list of windows such as ["09:00-12:00", "13:00-17:00"]')
        pairs = []
        for w in windows:
            found = WINDOW.fullmatch(w.strip())
            if not found:
                raise Bad(f'{day}: {w!r} is not a window such as "09:00-17:00"')
            pairs.append([found.group(1), found.group(2)])
        spec[day] = pairs
    try:
        cal = Calendar.from_spec("UTC", spec)
    except CalendarError as exc:
        raise Bad(str(exc).removeprefix("hours").lstrip(".: ")) from None
    return hours_from_spec(cal.to_spec())


def hours_from_spec(spec: dict[str, Any]) -> dict[str, list[str]]:
    """A stored hours spec ({"mon": [["09:00", "17:00"]]}) in the file's form."""
    return {day: [f"{s}-{e}" for s, e in spec[day]] for day in WEEKDAYS if spec.get(day)}


def hours_to_spec(value: dict[str, list[str]]) -> dict[str, list[list[str]]]:
    return {day: [w.split("-", 1) for w in value.get(day, [])] for day in WEEKDAYS}


def sla(value: Any) -> dict[str, dict[str, int]]:
    """{ high = { great = 15, okay = 60, late = 480 }, … } in minutes, by tier name."""
    if not isinstance(value, dict):
        raise Bad("must be a table such as { high = { great = 15, okay = 60, late = 480 } }")
    out: dict[str, dict[str, int]] = {}
    for tier in value:
        if tier not in TIER_SLUGS:
            raise Bad(f"unknown tier {tier!r} (use {', '.join(TIER_SLUGS)})")
    for tier in TIER_SLUGS:
        if tier not in value:
            continue
        targets = value[tier]
        if not isinstance(targets, dict) or set(targets) - set(SLA_KEYS) or not targets:
            raise Bad(f"{tier}: must have great, okay and/or late, in minutes")
        for k, minutes in targets.items():
            if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
                raise Bad(f"{tier}.{k}: minutes must be a whole number above 0")
        ordered = [targets[k] for k in SLA_KEYS if k in targets]
        if ordered != sorted(ordered):
            raise Bad(f"{tier}: needs great ≤ okay ≤ late")
        out[tier] = {k: targets[k] for k in SLA_KEYS if k in targets}
    return out


def handoff_time(value: Any) -> str:
    if not isinstance(value, str):
        raise Bad('must be a time such as "09:00"')
    try:
        t = engine.parse_handoff_time(value)
    except engine.ScheduleError as exc:
        raise Bad(_plain(exc)) from None
    return f"{t.hour:02d}:{t.minute:02d}"


def weekday(value: Any) -> str:
    if value not in WEEKDAYS:
        raise Bad(f"must be a weekday ({', '.join(WEEKDAYS)}), not {value!r}")
    return str(value)


def local_datetime(value: Any) -> str:
    """ "2027-01-04T09:00" (or a TOML local date-time) → "2027-01-04T09:00"."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise Bad("must be a local wall-clock time without an offset (the zone is separate)")
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            example = '"2027-01-04T09:00"'
            raise Bad(f"must be a local date and time such as {example}, not {value!r}") from None
        if parsed.tzinfo is not None:
            raise Bad("must be a local wall-clock time without an offset (the zone is separate)")
    else:
        raise Bad('must be a local date and time such as "2027-01-04T09:00"')
    if parsed.microsecond:
        raise Bad("must be a whole second")
    return parsed.strftime("%Y-%m-%dT%H:%M" + (":%S" if parsed.second else ""))


def restriction(value: Any) -> str:
    """ "mon 09:00-17:00": the rotation only covers these weekly windows."""
    found = RESTRICTION.fullmatch(value.strip()) if isinstance(value, str) else None
    if not found or found.group(1) not in WEEKDAYS:
        raise Bad(f'must be a weekly window such as "mon 09:00-17:00", not {value!r}')
    day, lo, hi = found.groups()
    try:
        start, end = engine.parse_handoff_time(lo), engine.parse_handoff_time(hi)
    except engine.ScheduleError as exc:
        raise Bad(_plain(exc)) from None
    return f"{day} {start:%H:%M}-{end:%H:%M}"
