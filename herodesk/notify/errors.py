"""What a transport raises when a send fails; the outbox decides what happens next."""

from __future__ import annotations


class RetryLater(Exception):
    """A transient failure (server down, timeout): try again later."""

    def __init__(self, message: str, *, after: float | None = None) -> None:
        super().__init__(message)
        self.after = after


class RateLimited(RetryLater):
    """The receiver asked us to wait `after` seconds (HTTP 429 Retry-After)."""


class Permanent(Exception):
    """The receiver refused for good (unknown recipient, channel not found)."""
