"""Template helpers of the desk: SLA clocks, names, durations, safe message bodies."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from herodesk.web import present
from herodesk.web import rows as rows_module
from herodesk.web.people import MENTION

register = template.Library()

_URL = re.compile(r"""(https?://[^\s<>"']+)""")


@register.simple_tag
def sla_clock(t: Any, now: datetime) -> SafeString:
    return mark_safe(rows_module.clock_html(t, now))  # noqa: S308 — built from escaped values


@register.simple_tag
def queue_rows(rows: list[Any], now: datetime) -> SafeString:
    return rows_module.queue_rows(rows, now)


@register.simple_tag
def search_rows(rows: list[Any]) -> SafeString:
    return rows_module.search_rows(rows)


@register.filter
def short_duration(delta: timedelta | None) -> str:
    return present.duration(delta) if delta is not None else ""


@register.filter
def channel_icon(channel: str) -> str:
    return present.channel_icon(channel)


@register.filter
def person_name(user: Any) -> str:
    return present.person_name(user)


@register.filter
def initials(user: Any) -> str:
    return present.initials(user)


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


@register.filter
def grade_label(grade: Any) -> str:
    """'too_late' → 'Too late', 'great' → 'Great'."""
    return str(grade or "").replace("_", " ").capitalize()


@register.filter
def last_day(end: datetime | None) -> datetime | None:
    """The last instant inside [start, end): time off until 5 Dec 00:00 ends on 4 Dec."""
    return end - timedelta(microseconds=1) if end is not None else None
