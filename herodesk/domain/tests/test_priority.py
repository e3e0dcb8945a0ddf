from __future__ import annotations

from datetime import UTC, datetime, timedelta

from herodesk.domain.priority import queue_key, sort_queue

T0 = datetime(2026, 11, 23, 10, tzinfo=UTC)


def test_tier_then_due_then_age_then_id():
    items = [
        ("low", 5, T0, T0, 1),
        ("normal-late", 3, T0 + timedelta(hours=2), T0, 2),
        ("normal-early", 3, T0 + timedelta(hours=1), T0 + timedelta(minutes=5), 3),
        ("normal-nodue", 3, None, T0 - timedelta(days=1), 4),
        ("alert", 0, None, T0, 5),
        ("normal-early-older", 3, T0 + timedelta(hours=1), T0, 6),
    ]
    ordered = sort_queue(items, key=lambda i: queue_key(i[1], i[2], i[3], i[4]))
    assert [i[0] for i in ordered] == [
        "alert",
        "normal-early-older",
        "normal-early",
        "normal-late",
        "normal-nodue",
        "low",
    ]
