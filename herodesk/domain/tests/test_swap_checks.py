"""Swap warnings: a shift in progress and unequal trades are said before agreeing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from herodesk.domain.swap_checks import span, trade_warnings

MON = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def test_equal_whole_weeks_need_no_warning() -> None:
    assert trade_warnings((MON + WEEK, MON + 2 * WEEK), (MON + 2 * WEEK, MON + 3 * WEEK), MON) == []


def test_a_shift_in_progress_trades_only_its_rest_and_is_unequal() -> None:
    now = MON + timedelta(days=5, hours=10)  # 1.6 days left of this week
    warnings = trade_warnings((MON, MON + WEEK), (MON + WEEK, MON + 2 * WEEK), now)
    assert warnings == [
        "Your shift is already in progress: only the rest (1.6 days) is traded.",
        "Unequal trade: you give 1.6 days and take 7 days.",
    ]


def test_small_differences_are_not_unequal() -> None:
    take = (MON + WEEK, MON + 2 * WEEK + timedelta(hours=1))  # a DST hour, say
    assert trade_warnings((MON + 2 * WEEK, MON + 3 * WEEK), take, MON) == []


def test_spans_read_naturally() -> None:
    assert [span(timedelta(hours=h)) for h in (168, 24, 5, 1)] == [
        "7 days",
        "1 day",
        "5 hours",
        "1 hour",
    ]
    assert span(timedelta(minutes=45)) == "45 minutes"
