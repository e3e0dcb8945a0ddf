"""Template helpers of the desk: SLA clocks, names, durations, safe message bodies."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from herodesk.web.people import MENTION

register = template.Library()

CHANNEL_ICONS = {
    "email": "mail",
    "bug_report": "bug",
    "slack": "hash",
    "cs_escalation": "flag",
    "sentry": "alert",
    "github": "git",
    "community": "chat",
    "zendesk": "inbox",
    "api": "code",
    "web": "globe",
}
_URL = re.compile(r"""(https?://[^\s<>"']+)""")


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


@register.simple_tag
def sla_clock(t: Any, now: datetime) -> SafeString:
    from herodesk.web.rows import clock_html

    return mark_safe(clock_html(t, now))  # noqa: S308 — built from escaped values


@register.simple_tag
def queue_rows(rows: list[Any], now: datetime) -> SafeString:
    from herodesk.web.rows import queue_rows as render

    return render(rows, now)


@register.filter
def short_duration(delta: timedelta | None) -> str:
    return duration(delta) if delta is not None else ""


@register.filter
def channel_icon(channel: str) -> str:
    return CHANNEL_ICONS.get(channel, "inbox")


@register.filter
def person_name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


@register.filter
def initials(user: Any) -> str:
    name = person_name(user) if not isinstance(user, str) else user
    parts = [p for p in name.replace(".", " ").split() if p]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def safe_url(value: str) -> str:
    """`value` when it is an http(s) URL, else '' (no javascript: links)."""
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return ""
    return value.strip() if scheme in ("http", "https") else ""


@register.filter
def http_url(value: Any) -> str:
    return safe_url(str(value or ""))


def _link(match: re.Match[str]) -> str:
    url = match.group(1)
    trail = ""
    while url and url[-1] in ".,;:!?)":
        trail, url = url[-1] + trail, url[:-1]
    return f'<a href="{url}" rel="noopener noreferrer nofollow" target="_blank">{url}</a>{trail}'


@register.filter(needs_autoescape=True)
def message_body(text: str, autoescape: bool = True) -> SafeString:
    """Plain text → escaped HTML paragraphs with links and @mentions highlighted."""
    escaped = str(conditional_escape(text or "")) if autoescape else (text or "")
    linked = _URL.sub(_link, escaped)
    linked = MENTION.sub(r'<span class="mention">@\1</span>', linked)
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", linked.strip()) if p.strip()]
    html = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return mark_safe(html)  # noqa: S308 — built from escaped text only


@register.filter
def tier_short(tier: int) -> str:
    return f"T{tier}"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
