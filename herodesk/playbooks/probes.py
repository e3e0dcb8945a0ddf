"""Customer data for auto-checks: a user's last login from an HTTP JSON endpoint.

`HERODESK_CUSTOMER_DATA_URL` is a template such as
`https://admin.example/api/users?email={user_email}`; the answer is a JSON
object with `last_login` (ISO 8601, or null for never). A bearer token
(`HERODESK_CUSTOMER_DATA_TOKEN`) is sent when configured. Pure: no Django.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

MAX_BYTES = 64 * 1024


class ProbeError(Exception):
    """The source could not answer; the message says why (for the hero)."""


@dataclass(frozen=True)
class LastLogin:
    at: datetime | None  # None: the user never logged in
    source: str  # where the answer came from (host only, no secrets)


def fetch_last_login(
    url_template: str, email: str, *, token: str = "", timeout: float = 5.0
) -> LastLogin:
    url = url_template.replace("{user_email}", quote(email, safe="@"))
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    source = urlsplit(url).netloc
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise ProbeError(f"{source} does not know {email}") from None
        raise ProbeError(f"{source} answered HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ProbeError(f"{source} could not be reached: {reason}") from None
    if len(raw) > MAX_BYTES:
        raise ProbeError(f"{source} answered more than {MAX_BYTES // 1024} KB")
    return LastLogin(_last_login(raw, source), source)


def _last_login(raw: bytes, source: str) -> datetime | None:
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ProbeError(f"{source} did not answer JSON") from None
    if not isinstance(data, dict) or "last_login" not in data:
        raise ProbeError(f'{source} answered without "last_login"')
    value = data["last_login"]
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ProbeError(
            f'{source} answered a "last_login" that is not a date: {value!r}'
        ) from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)
