"""Small presentation helpers shared by templates and pre-rendered rows (no template tags here)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from herodesk.lib import channels


def channel_icon(channel: str) -> str:
    return channels.icon(channel)


def person_name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def initials(user: Any) -> str:
    name = person_name(user) if not isinstance(user, str) else user
    parts = [p for p in name.replace(".", " ").split() if p]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def duration(delta: timedelta) -> str:
    """A short human duration: '<1m', '12m', '1h 05m', '2d 3h'."""
    seconds = max(0, int(delta.total_seconds()))
    minutes = seconds // 60
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h"


def clock_state(t: Any, now: datetime) -> tuple[str, str, str]:
    """(state, amount, label) of a ticket's response clock at `now`.

    states: paused, none (no clock running), great, okay, overdue, late.
    desk.js computes the same thing every few seconds.
    """
    if t.sla_paused_at is not None:
        return "paused", "Paused", "waiting on requester"
    if t.due_by is None:
        return "none", "—", "answered"
    if t.great_by is not None and now < t.great_by:
        return "great", duration(t.great_by - now), "to great"
    if now < t.due_by:
        return "okay", duration(t.due_by - now), "to okay"
    if t.late_after is None or now < t.late_after:
        return "overdue", duration(now - t.due_by), "overdue"
    return "late", duration(now - t.due_by), "overdue, too late"
