"""Queue order (SPEC §4). Pure Python.

Open items sort by, in this order:
1. tier, ascending (T0 alert first, T5 low last);
2. SLA due time, ascending: the earliest pending due instant — the first-
   response `due_by` while no public reply has been sent, else the next-reply
   `due_by`; an item with no running clock (None) sorts after every due time;
3. age: `created_at` ascending (oldest first);
4. id ascending, so the order is total and stable.

The database mirrors this rule exactly:
    ORDER BY tier ASC, due_by ASC NULLS LAST, created_at ASC, id ASC
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from herodesk.domain.business_hours import to_micros

T = TypeVar("T")
QueueKey = tuple[int, int, int, int, int]


def queue_key(tier: int, due_by: datetime | None, created_at: datetime, ticket_id: int) -> QueueKey:
    """Sort key for one item (aware datetimes; see the module doc for the rule)."""
    if due_by is None:
        return (int(tier), 1, 0, to_micros(created_at), ticket_id)
    return (int(tier), 0, to_micros(due_by), to_micros(created_at), ticket_id)


def sort_queue(items: Iterable[T], key: Callable[[T], QueueKey]) -> list[T]:
    """The items in queue order, given a function building each one's `queue_key`."""
    return sorted(items, key=key)
