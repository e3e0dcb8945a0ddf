"""Spam resistance: rate limits per account and per IP address (django-ratelimit,
on the cache), the honeypot field, and held first posts (actions.hold_reason).

Every check runs before anything is written: a refused request stores nothing.
Staff (Team) are not limited.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.http import HttpRequest
from django_ratelimit.core import get_usage

from herodesk.community import conf
from herodesk.community.authors import Author
from herodesk.community.errors import TooMany
from herodesk.lib.errors import Invalid
from herodesk.security.throttle import client_ip

HONEYPOT = "website"
ACTIONS = {
    "ask": "questions",
    "answer": "answers",
    "signup": "sign-ups",
    "login": "log-in attempts",
}


def _scaled(rate: str, factor: int) -> str:
    count, _, period = rate.partition("/")
    return f"{int(count) * factor}/{period}"


def _check(request: HttpRequest, group: str, key: Any, rate: str, what: str) -> None:
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is not None and usage["should_limit"]:
        wait = max(int(usage["time_left"]), 1)
        raise TooMany(
            f"too many {what}: at most {usage['limit']} per {_per(rate)}; "
            f"try again in {_humanize(wait)}",
            retry_after=wait,
        )


def _per(rate: str) -> str:
    period = rate.partition("/")[2]
    digits = period.rstrip("smhd")
    unit = {"s": "second", "m": "minute", "h": "hour", "d": "day"}.get(period[len(digits) :], "?")
    return f"{digits} {unit}s" if digits and digits != "1" else unit


def _humanize(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 7200:
        return f"{seconds // 60} minutes"
    return f"{seconds // 3600} hours"


def limit(request: HttpRequest, action: str, author: Author | None = None) -> None:
    """TooMany (429) when this account or this IP address did `action` too often."""
    if author is not None and author.is_team:
        return
    rate = str(conf.get(f"HERODESK_COMMUNITY_RATE_{action.upper()}"))
    what = ACTIONS[action]
    if author is not None and author.account is not None:
        account_key = f"community-account:{author.account.pk}"
        _check(request, f"community.{action}.account", lambda g, r: account_key, rate, what)
    factor = int(conf.get("HERODESK_COMMUNITY_RATE_IP_FACTOR"))
    address = client_key(request)
    _check(
        request,
        f"community.{action}.ip",
        lambda g, r: address,
        _scaled(rate, factor),
        f"{what} from here",
    )


def client_key(request: HttpRequest) -> str:
    """The client's address as the sign-in throttle sees it (behind
    HERODESK_PROXY_COUNT proxies: from X-Forwarded-For), IPv6 by its /64 (one
    host's share), "unknown" when the server gave none (all such share a count)."""
    raw = client_ip(request) or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return "ip:unknown"
    if address.version == 6:
        return f"ip:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"ip:{address}"


def honeypot(value: Any) -> None:
    """The hidden "website" field is left empty by people and filled in by robots."""
    if value not in (None, ""):
        raise Invalid(
            'this looks automated: the hidden "website" field must stay empty. '
            "If you are a person, reload the page and try again.",
            field=HONEYPOT,
        )
