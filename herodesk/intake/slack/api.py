"""Reading from Slack's Web API in the worker: a thread's messages, a user's profile.

Uses the notify app's configured client (HERODESK_SLACK_BOT_TOKEN,
HERODESK_SLACK_API_URL). Scopes: channels:history (groups:history for private
channels), users:read, users:read.email.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from herodesk.intake.base import Failed
from herodesk.notify import slack as slack_out

log = logging.getLogger(__name__)
THREAD_LIMIT = 100


def available() -> bool:
    return slack_out.enabled()


def thread(channel: str, ts: str) -> list[dict[str, Any]]:
    """The thread holding message `ts`: its root first, then the replies."""
    if not available():
        raise Failed("HERODESK_SLACK_BOT_TOKEN is not set: cannot read the Slack thread")
    try:
        response = slack_out.client().conversations_replies(
            channel=channel, ts=ts, limit=THREAD_LIMIT
        )
    except SlackApiError as exc:
        error = exc.response.get("error", "") if isinstance(exc.response.data, dict) else ""
        raise Failed(f"Slack conversations.replies failed: {error or exc}") from exc
    except (OSError, ValueError) as exc:
        raise Failed(f"Slack unreachable: {type(exc).__name__}: {exc}") from exc
    messages = [m for m in response.get("messages") or [] if isinstance(m, dict)]
    if not messages:
        raise Failed(f"Slack returned no message for {channel} {ts}")
    return messages


def profile(user_id: str) -> tuple[str, str]:
    """(name, email) of a Slack user; ('', '') when unknown or Slack is unreachable."""
    if not user_id or not available():
        return "", ""
    try:
        user = slack_out.client().users_info(user=user_id).get("user") or {}
    except (SlackApiError, OSError, ValueError) as exc:
        log.warning("Slack users.info %s failed: %s", user_id, type(exc).__name__)
        return "", ""
    info = user.get("profile") or {}
    name = info.get("real_name") or user.get("real_name") or info.get("display_name") or ""
    return str(name), str(info.get("email") or "")
