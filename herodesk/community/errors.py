"""Community-specific refusals (the rest are herodesk.lib.errors)."""

from __future__ import annotations

from herodesk.lib.errors import ActionError


class Unauthorized(ActionError):
    """Wrong email or password, a missing or bad community token (401)."""

    status_code = 401


class TooMany(ActionError):
    """A rate limit refused the request (429); nothing was stored."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int = 60, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after
