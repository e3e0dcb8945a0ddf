"""Small helpers shared by the notification builders: links, names, local times."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import NoReverseMatch, reverse

from herodesk.tickets.models import Channel

# Channels whose requesters talk to us by email (acknowledgements, replies).
EMAIL_CHANNELS = {Channel.EMAIL, Channel.BUG_REPORT, Channel.API, Channel.WEB}


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def ticket_url(ticket: Any) -> str:
    """The ticket's page in the desk (the web UI's `ticket` URL when it exists)."""
    pk = ticket if isinstance(ticket, int) else ticket.pk
    for name in ("ticket", "web:ticket", "ticket_detail"):
        try:
            return absolute(reverse(name, args=[pk]))
        except NoReverseMatch:
            continue
    return absolute(f"/tickets/{pk}/")


def handoff_url(team_slug: str, report_id: int) -> str:
    try:
        return absolute(reverse("notify:handoff", args=[team_slug, report_id]))
    except NoReverseMatch:
        return absolute(f"/teams/{team_slug}/handoffs/{report_id}/")


def name_of(user: Any) -> str:
    if user is None:
        return "nobody"
    return str(user.get_full_name() or user.get_username())


def first_name_of(user: Any) -> str:
    return str(getattr(user, "first_name", "") or name_of(user).split()[0])


def zone_of_user(user: Any, fallback: str = "UTC") -> ZoneInfo:
    try:
        name = user.person.time_zone
    except (AttributeError, ObjectDoesNotExist):
        name = fallback
    return zone(name)


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local(at: datetime | None, tz: ZoneInfo) -> str:
    """'Mon 3 Mar 09:00 GMT' in the reader's zone."""
    if at is None:
        return "—"
    value = at.astimezone(tz)
    return f"{value:%a} {value.day} {value:%b %H:%M} {value.tzname()}"


def minutes_until(at: datetime, now: datetime) -> int:
    return max(int((at - now).total_seconds() // 60), 0)


def humanize_minutes(minutes: float) -> str:
    if minutes < 60:
        n = max(int(minutes), 1)
        return f"{n} minute{'s' if n != 1 else ''}"
    hours = minutes / 60
    if hours < 24:
        n = round(hours)
        return f"{n} hour{'s' if n != 1 else ''}"
    days = round(hours / 24)
    return f"{days} day{'s' if days != 1 else ''}"
