"""Queue order (tier, due time, age, id) and tier derivation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from herodesk.domain.priority import queue_key, sort_queue
from herodesk.domain.tiers import PLAN_TIERS, Tier, derive_tier

T0 = datetime(2026, 11, 23, 10, tzinfo=UTC)


def test_tier_then_due_then_age_then_id() -> None:
    items = [
        ("low", 5, T0, T0, 1),
        ("normal-late", 3, T0 + timedelta(hours=2), T0, 2),
        ("normal-early", 3, T0 + timedelta(hours=1), T0 + timedelta(minutes=5), 3),
        ("normal-nodue", 3, None, T0 - timedelta(days=1), 4),
        ("alert", 0, None, T0, 5),
        ("normal-early-older", 3, T0 + timedelta(hours=1), T0, 6),
        ("normal-early-older-twin", 3, T0 + timedelta(hours=1), T0, 7),
    ]
    ordered = sort_queue(items, key=lambda i: queue_key(i[1], i[2], i[3], i[4]))
    assert [i[0] for i in ordered] == [
        "alert",
        "normal-early-older",
        "normal-early-older-twin",
        "normal-early",
        "normal-late",
        "normal-nodue",
        "low",
    ]


def test_no_due_time_sorts_after_any_due_time_and_zones_do_not_matter() -> None:
    far = datetime(2199, 1, 1, tzinfo=UTC)
    assert queue_key(Tier.NORMAL, far, T0, 1) < queue_key(Tier.NORMAL, None, T0, 1)
    local = T0.astimezone(ZoneInfo("America/New_York"))
    assert queue_key(3, local, local, 1) == queue_key(3, T0, T0, 1)
    with pytest.raises(ValueError, match="naive"):
        queue_key(3, None, datetime(2026, 1, 1), 1)


maybe_due = st.none() | st.integers(0, 10**6).map(lambda m: T0 + timedelta(minutes=m))
rows = st.tuples(st.integers(0, 5), maybe_due, st.integers(0, 10**6), st.integers(1, 10**6)).map(
    lambda r: (r[0], r[1], T0 - timedelta(minutes=r[2]), r[3])
)


@settings(max_examples=200, deadline=None)
@given(st.lists(rows, max_size=30))
def test_order_matches_the_sql_rule(
    items: list[tuple[int, datetime | None, datetime, int]],
) -> None:
    """ORDER BY tier, due_by NULLS LAST, created_at, id."""
    ordered = sort_queue(items, key=lambda r: queue_key(*r))
    never = datetime.max.replace(tzinfo=UTC)
    assert ordered == sorted(items, key=lambda r: (r[0], r[1] or never, r[2], r[3]))


def test_derive_tier() -> None:
    alert, cs, community = Tier.ALERT, Tier.CS_ESCALATION, Tier.COMMUNITY
    assert derive_tier(alert, "enterprise") == Tier.ALERT
    assert derive_tier(alert, "free", escalated=True) == Tier.CS_ESCALATION
    assert derive_tier(None, "enterprise", escalated=True) == Tier.CS_ESCALATION
    assert derive_tier(cs, None) == Tier.CS_ESCALATION
    assert derive_tier(None, "Enterprise") == Tier.HIGH
    assert derive_tier(None, "scale") == Tier.HIGH
    assert derive_tier(None, "teams") == Tier.NORMAL
    assert derive_tier(community, "enterprise") == Tier.COMMUNITY
    assert derive_tier(community, None) == Tier.COMMUNITY
    assert derive_tier(None, None) == Tier.LOW
    assert derive_tier(None, "free") == Tier.LOW
    assert derive_tier(None, "mystery-plan") == Tier.LOW


def test_tiers_are_ordered_highest_first_with_labels() -> None:
    assert [int(t) for t in Tier] == [0, 1, 2, 3, 4, 5]
    assert Tier.ALERT < Tier.LOW and Tier(0).label == "Alert" and Tier.LOW.slug == "low"
    assert set(PLAN_TIERS.values()) <= set(Tier)
