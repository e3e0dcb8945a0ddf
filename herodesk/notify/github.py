"""GitHub out: a public reply on a GitHub ticket becomes an issue comment.

`post_comment()` calls the REST API (POST /repos/{owner}/{repo}/issues/{n}/
comments) with HERODESK_GITHUB_TOKEN on HERODESK_GITHUB_API_URL (tests point
it at a local stand-in) and maps failures for the outbox:

- 201 → {"comment_id", "url", "external_id": "comment:<id>"}; the external id
  is stamped on the desk message, so GitHub's webhook echo of our own comment
  is recognised and not mirrored back;
- 429, or 403 with x-ratelimit-remaining 0 → RateLimited (Retry-After or the
  reset time); 5xx, timeouts and connection errors → RetryLater;
- 401 (bad token), 403 (no access), 404/410 (issue gone), 422 (locked,
  invalid) → Permanent: a retry cannot fix them, the reason stays visible.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings

from herodesk.notify.errors import Permanent, RateLimited, RetryLater

TIMEOUT_SECONDS = 10
MAX_BODY = 65_000  # GitHub refuses comments over 65 536 characters
API_VERSION = "2022-11-28"


def token() -> str:
    return str(getattr(settings, "HERODESK_GITHUB_TOKEN", "") or "")


def enabled() -> bool:
    return bool(token())


def api_url() -> str:
    base = str(getattr(settings, "HERODESK_GITHUB_API_URL", "") or "https://api.github.com")
    if not base.startswith(("https://", "http://")):
        raise Permanent(f"HERODESK_GITHUB_API_URL must be an http(s) URL, got {base!r}")
    return base.rstrip("/")


def _message(raw: bytes) -> str:
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return raw[:200].decode("utf-8", "replace")
    return str(data.get("message") or "") if isinstance(data, dict) else ""


def _wait(headers: Any) -> float | None:
    """Seconds GitHub asks us to wait (Retry-After, or the rate-limit reset)."""
    after = headers.get("Retry-After")
    if after and str(after).isdigit():
        return max(float(after), 1.0)
    if (
        headers.get("x-ratelimit-remaining") == "0"
        and str(headers.get("x-ratelimit-reset")).isdigit()
    ):
        return max(float(headers["x-ratelimit-reset"]) - time.time(), 1.0)
    return None


def _refused(exc: urllib.error.HTTPError, where: str) -> Exception:
    reason = _message(exc.read()) or exc.reason
    wait = _wait(exc.headers)
    if exc.code == 429 or (exc.code == 403 and wait is not None):
        return RateLimited(f"GitHub rate limit on {where}: {reason}", after=wait or 60.0)
    if exc.code >= 500:
        return RetryLater(f"GitHub answered {exc.code} for {where}: {reason}")
    if exc.code == 401:
        return Permanent(f"GitHub refused the token (401): check HERODESK_GITHUB_TOKEN ({reason})")
    return Permanent(f"GitHub refused the comment on {where} ({exc.code}): {reason}")


def post_comment(repository: str, number: int, body: str) -> dict[str, Any]:
    """Post `body` as a comment on issue `number` of `owner/name`."""
    if not enabled():
        raise Permanent("GitHub is not configured (HERODESK_GITHUB_TOKEN is empty)")
    where = f"{repository}#{number}"
    request = urllib.request.Request(  # noqa: S310 (api_url() allows http(s) only)
        f"{api_url()}/repos/{repository}/issues/{int(number)}/comments",
        data=json.dumps({"body": body[:MAX_BODY]}).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {token()}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "Content-Type": "application/json",
            "User-Agent": "HeroDesk",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            data = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raise _refused(exc, where) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise RetryLater(f"GitHub unreachable for {where}: {exc}") from None
    except ValueError as exc:
        raise RetryLater(f"GitHub sent an unreadable answer for {where}: {exc}") from None
    comment_id = data.get("id") if isinstance(data, dict) else None
    if not comment_id:
        raise RetryLater(f"GitHub's answer for {where} has no comment id")
    return {
        "comment_id": comment_id,
        "url": str(data.get("html_url") or ""),
        "external_id": f"comment:{comment_id}",
    }
