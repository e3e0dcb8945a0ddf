"""Community settings, read from Django settings (defaults documented in README).

Kept in one place so the views, the API and the actions agree on limits.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Origins (scheme://host[:port]) whose pages may embed the questions and talk
    # to /community/api/ from the browser.
    "HERODESK_COMMUNITY_ORIGINS": [],
    # Where every new question is announced (the topic's own channel too).
    "HERODESK_COMMUNITY_SLACK_CHANNEL": "#community-questions",
    "HERODESK_COMMUNITY_MAX_TITLE": 200,
    "HERODESK_COMMUNITY_MAX_BODY": 20_000,
    # django-ratelimit rates ("N/s|m|h|d"): per account and per IP address.
    "HERODESK_COMMUNITY_RATE_ASK": "5/h",
    "HERODESK_COMMUNITY_RATE_ANSWER": "20/h",
    "HERODESK_COMMUNITY_RATE_SIGNUP": "5/h",
    "HERODESK_COMMUNITY_RATE_LOGIN": "20/h",
    "HERODESK_COMMUNITY_RATE_IP_FACTOR": 3,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


def max_title() -> int:
    return int(get("HERODESK_COMMUNITY_MAX_TITLE"))


def max_body() -> int:
    return int(get("HERODESK_COMMUNITY_MAX_BODY"))
