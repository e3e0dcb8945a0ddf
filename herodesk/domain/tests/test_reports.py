"""Report definitions: hand-computed response times, percentiles, rows, hero-weeks."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from herodesk.domain import reports as r
from herodesk.domain import sla
from herodesk.domain.business_hours import Calendar
from herodesk.domain.schedule import Override, RotationVersion, Schedule

LONDON = Calendar.default("Europe/London", "GB", "ENG")
T = sla.Targets()


def z(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def ev(at: datetime, kind: r.EventKind) -> r.Event:
    return r.Event(at, kind)


# ----- response times -------------------------------------------------------


def test_a_night_counts_no_working_minutes() -> None:
    # Tue 16:50 GMT → Wed 09:20 GMT: 10 min on Tuesday + 20 on Wednesday.
    assert r.working_minutes(LONDON, z(2026, 1, 13, 16, 50), z(2026, 1, 14, 9, 20)) == 30
    assert r.calendar_minutes(z(2026, 1, 13, 16, 50), z(2026, 1, 14, 9, 20)) == 990


def test_a_weekend_counts_no_working_minutes() -> None:
    # Fri 16:55 → Mon 09:10 (GMT): 5 + 10 working minutes.
    assert r.working_minutes(LONDON, z(2026, 1, 16, 16, 55), z(2026, 1, 19, 9, 10)) == 15


def test_holidays_count_no_working_minutes() -> None:
    # Thu 24 Dec 16:00 → Tue 29 Dec 10:00: Christmas (Fri) and the substitute
    # Boxing Day (Mon 28) are closed in England: 60 + 60 minutes.
    assert r.working_minutes(LONDON, z(2026, 12, 24, 16), z(2026, 12, 29, 10)) == 120


def test_pauses_are_excluded_from_working_but_not_from_calendar_minutes() -> None:
    start, end = z(2026, 1, 13, 9), z(2026, 1, 13, 12)
    pauses = [(z(2026, 1, 13, 10), z(2026, 1, 13, 11))]
    assert r.working_minutes(LONDON, start, end, pauses) == 120
    [resp] = r.responses(LONDON, [ev(start, "requester"), ev(end, "reply")], T, pauses)
    assert (resp.working_minutes, resp.calendar_minutes, resp.grade) == (120, 180, "slow")


def test_first_response_then_next_replies_from_the_oldest_unanswered_message() -> None:
    events = [
        ev(z(2026, 1, 13, 9), "requester"),
        ev(z(2026, 1, 13, 9, 10), "reply"),
        ev(z(2026, 1, 13, 9, 11), "reply"),  # nothing waiting: no response
        ev(z(2026, 1, 13, 10), "requester"),
        ev(z(2026, 1, 13, 10, 30), "requester"),  # the 10:00 one is still the oldest
        ev(z(2026, 1, 13, 11), "reply"),
    ]
    first, nxt = r.responses(LONDON, events, T)
    assert (first.kind, first.working_minutes, first.grade) == ("first_response", 10, "great")
    assert (nxt.kind, nxt.started_at, nxt.working_minutes) == ("next_reply", z(2026, 1, 13, 10), 60)
    assert nxt.grade == "okay"


def test_solving_stops_the_clock_without_a_response() -> None:
    events = [
        ev(z(2026, 1, 13, 9), "requester"),
        ev(z(2026, 1, 13, 9, 30), "resolved"),
        ev(z(2026, 1, 14, 9), "requester"),  # reopens: a new clock
        ev(z(2026, 1, 14, 9, 5), "reply"),
    ]
    [only] = r.responses(LONDON, events, T)
    assert (only.kind, only.started_at, only.working_minutes) == (
        "first_response",
        z(2026, 1, 14, 9),
        5,
    )


def test_a_response_after_a_working_day_is_too_late() -> None:
    events = [ev(z(2026, 1, 13, 9), "requester"), ev(z(2026, 1, 14, 9, 1), "reply")]
    [resp] = r.responses(LONDON, events, T)
    assert resp.working_minutes == 481 and resp.grade == "too_late"


def test_resolution_includes_pending_time() -> None:
    assert r.resolution_minutes(LONDON, z(2026, 1, 16, 16), z(2026, 1, 19, 10)) == 120
    assert r.calendar_hours(z(2026, 1, 16, 16), z(2026, 1, 19, 10)) == 66


# ----- percentiles ----------------------------------------------------------


def test_nearest_rank_percentiles() -> None:
    values = [15, 20, 35, 40, 50]  # the textbook example
    assert [r.percentile(values, p) for p in (0, 5, 30, 40, 50, 100)] == [15, 15, 20, 20, 35, 50]
    assert r.percentile([], 50) is None
    assert r.percentile([7], 90) == 7
    assert r.rank(90, 10) == 9 and r.rank(90, 11) == 10 and r.rank(50, 4) == 2


@pytest.mark.parametrize("p", [-1, 101, 50.5, True])
def test_percentile_rejects_what_is_not_an_integer_percent(p: object) -> None:
    with pytest.raises(ValueError, match="integer 0–100"):
        r.percentile([1, 2], p)  # type: ignore[arg-type]


def test_summaries() -> None:
    assert r.summarize([]) == r.Summary(0, None, None, None)
    assert r.summarize([4, 1, 3, 2]) == r.Summary(4, 2.5, 2, 4)


# ----- attainment, backlog, volume, rows ------------------------------------


def test_attainment_counts_first_responses_by_grade() -> None:
    got = r.attainment(["great", "okay", "great", "", "too_late"])
    assert got == r.Attainment(great=2, okay=1, slow=0, too_late=1)
    assert got.total == 4 and got.share("great") == 0.5
    assert r.Attainment().share("great") is None
    with pytest.raises(ValueError, match="unknown grade"):
        r.attainment(["fast"])


def test_backlog_at_a_moment() -> None:
    items = [(z(2026, 1, 1), None), (z(2026, 1, 2), z(2026, 1, 3)), (z(2026, 1, 5), None)]
    assert r.backlog(items, z(2026, 1, 2)) == 2  # created at the instant counts
    assert r.backlog(items, z(2026, 1, 3)) == 1  # resolved at the instant does not
    assert r.backlog(items, z(2025, 12, 31)) == 0
    assert r.resolved_at(None, z(2026, 1, 4)) == z(2026, 1, 4)
    assert r.volume([c for c, _ in items], z(2026, 1, 1), z(2026, 1, 5)) == 2


def test_a_row_from_ticket_facts() -> None:
    c = z(2026, 1, 13, 9)
    facts = [
        r.TicketFacts(
            c, c + timedelta(minutes=10), 10, "great", False, c + timedelta(hours=2), None, 120
        ),
        r.TicketFacts(c, c + timedelta(days=1), 480, "slow", False, None),
        r.TicketFacts(
            c, c + timedelta(days=2), 960, "too_late", True, c + timedelta(days=3), None, 1440
        ),
        r.TicketFacts(c, late_after=c + timedelta(hours=8)),  # still waiting, past too late
        r.TicketFacts(c, late_after=c + timedelta(hours=8), paused=True),
    ]
    row = r.row(facts, backlog_end=7, now=c + timedelta(days=5))
    assert row == r.Row(
        created=5,
        first_responses=3,
        frt_p50=480,
        frt_p90=960,
        frt_calendar_p50=1440,
        attainment=r.Attainment(1, 0, 1, 1),
        breaches=2,
        solved=2,
        mttr_mean=780,
        mttr_p50=120,
        mttr_p90=1440,
        backlog_end=7,
    )


# ----- weeks and hero-weeks -------------------------------------------------


def test_local_weeks_cut_to_the_range() -> None:
    tz = ZoneInfo("Europe/London")
    part = r.weeks(z(2026, 3, 25), z(2026, 4, 10), tz)
    assert [p.key for p in part.periods] == ["2026-03-23", "2026-03-30", "2026-04-06"]
    assert part.periods[0].start == z(2026, 3, 25)
    assert part.periods[1].start == z(2026, 3, 29, 23)  # Monday 00:00 BST
    assert part.period_at(z(2026, 3, 29, 22, 59)).key == "2026-03-23"  # type: ignore[union-attr]
    assert part.period_at(z(2026, 4, 10)) is None
    with pytest.raises(ValueError):
        r.weeks(z(2026, 1, 2), z(2026, 1, 1), tz)


def weekly(members: str, overrides: list[Override] = ()) -> Schedule:  # type: ignore[assignment]
    v = RotationVersion(
        members=tuple(members), start=z(2026, 1, 5, 9), handoff_time=time(9), time_zone="UTC"
    )
    return Schedule([v], overrides)


def test_hero_weeks_follow_the_turns() -> None:
    part = r.hero_weeks(weekly("ab"), z(2026, 1, 7), z(2026, 1, 21))
    keys = [(p.key, p.start, p.end) for p in part.periods]
    assert keys == [
        ("2026-01-05T09:00Z/a", z(2026, 1, 7), z(2026, 1, 12, 9)),
        ("2026-01-12T09:00Z/b", z(2026, 1, 12, 9), z(2026, 1, 19, 9)),
        ("2026-01-19T09:00Z/a", z(2026, 1, 19, 9), z(2026, 1, 21)),
    ]


def test_an_override_takes_its_arrivals_out_of_the_heroes_week() -> None:
    cover = Override(1, "c", z(2026, 1, 7, 12), z(2026, 1, 8, 12))
    part = r.hero_weeks(weekly("ab", [cover]), z(2026, 1, 5, 9), z(2026, 1, 12, 9))
    a, c = part.periods
    assert a.key == "2026-01-05T09:00Z/a" and c.key == "2026-01-05T09:00Z/c"
    assert a.pieces == (
        (z(2026, 1, 5, 9), z(2026, 1, 7, 12)),
        (z(2026, 1, 8, 12), z(2026, 1, 12, 9)),
    )
    assert part.period_at(z(2026, 1, 8)) is c
    assert part.period_at(z(2026, 1, 9)) is a


def test_an_override_across_a_handoff_splits_into_two_turns() -> None:
    cover = Override(1, "c", z(2026, 1, 11), z(2026, 1, 13))
    part = r.hero_weeks(weekly("ab", [cover]), z(2026, 1, 5, 9), z(2026, 1, 19, 9))
    by_key = {p.key: p for p in part.periods}
    assert by_key["2026-01-05T09:00Z/c"].pieces == ((z(2026, 1, 11), z(2026, 1, 12, 9)),)
    assert by_key["2026-01-12T09:00Z/c"].pieces == ((z(2026, 1, 12, 9), z(2026, 1, 13)),)


def test_time_nobody_covers_is_one_period() -> None:
    cover = Override(1, "c", z(2026, 1, 1), z(2026, 1, 2))
    part = r.hero_weeks(weekly("a", [cover]), z(2025, 12, 31), z(2026, 1, 6))
    assert [p.key for p in part.periods] == [
        "2026-01-01T00:00Z/c",  # outside every turn: its own
        "2026-01-05T09:00Z/a",
        "nobody",
    ]
    assert part.period_at(z(2025, 12, 31, 12)).person is None  # type: ignore[union-attr]


def test_the_key_does_not_depend_on_where_the_report_starts() -> None:
    sched = weekly("ab")
    late = r.hero_weeks(sched, z(2026, 1, 16), z(2026, 1, 17)).periods[0]
    assert late.key == "2026-01-12T09:00Z/b"
