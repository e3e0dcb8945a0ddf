"""Warnings on a proposed swap (pure): unequal trades and shifts already running.

A "whole shift" swap trades what is left of each shift. When one of them is
already in progress, or the two differ in length, the person asking (and the
one accepting) should see it before agreeing: 1.6 days for a full week is
rarely what anyone meant.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# Lengths within this share of each other (or this many hours) count as equal.
TOLERANCE = 0.1
SLACK = timedelta(hours=2)


def span(length: timedelta) -> str:
    """'7 days', '1.6 days', '5 hours', '45 minutes'."""
    hours = length.total_seconds() / 3600
    if hours >= 24:
        days = round(hours / 24, 1)
        return f"{days:g} day" + ("" if days == 1 else "s")
    if hours >= 1:
        whole = round(hours, 1)
        return f"{whole:g} hour" + ("" if whole == 1 else "s")
    minutes = max(round(hours * 60), 1)
    return f"{minutes} minute" + ("" if minutes == 1 else "s")


def trade_warnings(
    give: tuple[datetime, datetime], take: tuple[datetime, datetime], now: datetime
) -> list[str]:
    """What the requester should know before trading `give` for `take`."""
    out: list[str] = []
    for (start, end), whose in ((give, "Your shift"), (take, "Their shift")):
        if start < now < end:
            out.append(
                f"{whose} is already in progress: only the rest ({span(end - now)}) is traded."
            )
    given = give[1] - max(give[0], now)
    taken = take[1] - max(take[0], now)
    longer, shorter = max(given, taken), min(given, taken)
    if longer - shorter > SLACK and shorter < longer * (1 - TOLERANCE):
        out.append(f"Unequal trade: you give {span(given)} and take {span(taken)}.")
    return out
