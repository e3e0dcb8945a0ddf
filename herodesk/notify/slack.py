"""Slack out: a WebClient on a configurable base URL, and mrkdwn helpers.

`post()` calls chat.postMessage and maps failures for the outbox: 429 →
RateLimited(Retry-After), errors Slack will repeat forever (unknown channel,
bad token scopes) → Permanent, network trouble and 5xx → RetryLater.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from herodesk.notify.errors import Permanent, RateLimited, RetryLater

if TYPE_CHECKING:
    from slack_sdk import WebClient

# Answers that a retry cannot fix without an operator (they stay visible as failed).
PERMANENT_ERRORS = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "msg_too_long",
    "no_text",
    "invalid_blocks",
    "invalid_arguments",
    "user_not_found",
    "cannot_dm_bot",
    "restricted_action",
    "missing_scope",
    "not_allowed_token_type",
    "account_inactive",
}
TIMEOUT_SECONDS = 10
MAX_TEXT = 39_000


def enabled() -> bool:
    return bool(settings.HERODESK_SLACK_BOT_TOKEN)


def client() -> WebClient:
    # lazy: slack_sdk loads when a message goes out, not at every start-up (CLI cold start).
    from slack_sdk import WebClient

    base = settings.HERODESK_SLACK_API_URL
    return WebClient(
        token=settings.HERODESK_SLACK_BOT_TOKEN,
        base_url=base if base.endswith("/") else base + "/",
        timeout=TIMEOUT_SECONDS,
        retry_handlers=[],  # the outbox retries, with backoff, across worker restarts
    )


def _retry_after(headers: Any) -> float:
    try:
        return max(float(headers.get("Retry-After") or headers.get("retry-after") or 1), 1.0)
    except (TypeError, ValueError):
        return 1.0


def post(web: WebClient, payload: dict[str, Any]) -> dict[str, Any]:
    """chat.postMessage; returns {"ts", "channel", "external_id"}."""
    args = {k: v for k, v in payload.items() if k in ("channel", "text", "thread_ts", "blocks")}
    args["text"] = str(args.get("text", ""))[:MAX_TEXT]
    args.setdefault("unfurl_links", False)
    # lazy: as in client().
    from slack_sdk.errors import SlackApiError

    try:
        response = web.chat_postMessage(**args)
    except SlackApiError as exc:
        status = exc.response.status_code
        error = exc.response.get("error", "") if isinstance(exc.response.data, dict) else ""
        if status == 429 or error == "ratelimited":
            raise RateLimited(
                f"Slack rate limit (HTTP {status})", after=_retry_after(exc.response.headers)
            ) from exc
        if error in PERMANENT_ERRORS:
            raise Permanent(f"Slack refused: {error}") from exc
        raise RetryLater(f"Slack answered HTTP {status} {error or ''}".strip()) from exc
    except (OSError, ValueError) as exc:  # URLError, timeouts, resets; bad JSON
        raise RetryLater(f"Slack unreachable: {type(exc).__name__}: {exc}") from exc
    ts = str(response.get("ts") or "")
    return {"ts": ts, "channel": str(response.get("channel") or args["channel"]), "external_id": ts}


def esc(text: Any) -> str:
    """Escape user text for mrkdwn (&, <, > are control characters)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: Any) -> str:
    return f"<{url}|{esc(label).replace('|', '¦')}>"


def mention(user: Any) -> str:
    """`<@U…>` for a user with a Slack id, else their name."""
    if user is None:
        return "nobody"
    slack_id = user_id(user)
    if slack_id:
        return f"<@{slack_id}>"
    return esc(user.get_full_name() or user.get_username())


def user_id(user: Any) -> str:
    """The Slack user id of a staff user ('' when unknown)."""
    try:
        return str(user.person.slack_user_id or "")
    except (AttributeError, ObjectDoesNotExist):  # no Person profile
        return ""
