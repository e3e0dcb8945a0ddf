"""Queue ordering (SPEC §4). Pure Python.

Open items sort by tier (T0 first), then the running response clock's due
time (first-response or next-reply `due_by`; no clock sorts last), then age
(oldest first), then id. The database mirrors this rule with
ORDER BY tier, sort_due, created_at, id (see herodesk/tickets/queries.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

T = TypeVar("T")
NO_DUE = datetime.max.replace(tzinfo=UTC)


def queue_key(
    tier: int, due_by: datetime | None, created_at: datetime, ticket_id: int
) -> tuple[int, datetime, datetime, int]:
    return (tier, due_by or NO_DUE, created_at, ticket_id)


def sort_queue(items: Iterable[T], key: Callable[[T], Any]) -> list[T]:
    return sorted(items, key=key)
