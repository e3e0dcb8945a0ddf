"""Properties of the report definitions (hypothesis): working minutes over nights,
weekends, holidays and pauses; nearest-rank percentiles; hero-week attribution."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from herodesk.domain import reports as r
from herodesk.domain import sla
from herodesk.domain.business_hours import Calendar
from herodesk.domain.schedule import Override, RotationVersion, Schedule

FAST = settings(max_examples=150, deadline=None)
CALENDARS = [
    Calendar.default("Europe/London", "GB", "ENG"),
    Calendar.default("America/New_York", "US", "NY"),
    Calendar.from_spec("Asia/Kolkata", {"mon": [["09:30", "13:00"], ["14:00", "18:30"]]}),
]
instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)
calendars = st.sampled_from(CALENDARS)
minutes = st.integers(0, 60 * 24 * 12).map(lambda m: timedelta(minutes=m))


@FAST
@given(calendars, instants, minutes, minutes)
def test_working_minutes_add_up_and_never_exceed_the_wall_clock(
    cal: Calendar, a: datetime, d1: timedelta, d2: timedelta
) -> None:
    b, c = a + d1, a + d1 + d2
    ab, bc, ac = (r.working_minutes(cal, x, y) for x, y in ((a, b), (b, c), (a, c)))
    assert abs(ab + bc - ac) < 1e-6
    assert 0 <= ac <= r.calendar_minutes(a, c)


@FAST
@given(calendars, instants, minutes, st.lists(st.tuples(minutes, minutes), max_size=4))
def test_pauses_remove_exactly_the_working_time_they_cover(
    cal: Calendar, a: datetime, d: timedelta, raw: list[tuple[timedelta, timedelta]]
) -> None:
    b = a + d
    pauses = [(a + x, a + x + y) for x, y in raw]
    with_pauses = r.working_minutes(cal, a, b, pauses)
    # The paused working time, counted minute-free from the merged union of pauses.
    spans = sorted((max(p, a), min(q, b)) for p, q in pauses if min(q, b) > max(p, a))
    union: list[tuple[datetime, datetime]] = []
    for p, q in spans:
        if union and p <= union[-1][1]:
            union[-1] = (union[-1][0], max(union[-1][1], q))
        else:
            union.append((p, q))
    paused = sum(r.working_minutes(cal, p, q) for p, q in union)
    assert abs(with_pauses - (r.working_minutes(cal, a, b) - paused)) < 1e-6
    assert with_pauses >= -1e-9


@FAST
@given(calendars, instants, minutes, st.lists(st.tuples(minutes, minutes), max_size=3))
def test_a_responses_grade_is_the_sla_grade_of_its_working_minutes(
    cal: Calendar, a: datetime, d: timedelta, raw: list[tuple[timedelta, timedelta]]
) -> None:
    pauses = [(a + x, a + x + y) for x, y in raw]
    [resp] = r.responses(
        cal, [r.Event(a, "requester"), r.Event(a + d, "reply")], sla.Targets(), pauses
    )
    assert resp.grade == sla.grade(cal, a, a + d, sla.Targets(), pauses).value
    limits = [
        t / timedelta(minutes=1)
        for t in (sla.Targets().great, sla.Targets().okay, sla.Targets().late)
    ]
    expected = next(
        (g for g, lim in zip(r.GRADES, limits, strict=False) if resp.working_minutes <= lim),
        "too_late",
    )
    assert resp.grade == expected


@FAST
@given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=60), st.integers(0, 100))
def test_nearest_rank_is_an_observed_value_with_the_right_rank(values: list[int], p: int) -> None:
    got = r.percentile(values, p)
    assert got in values
    need = max(1, -(-p * len(values) // 100))
    assert sum(v <= got for v in values) >= need  # type: ignore[operator]
    assert sum(v < got for v in values) < need  # type: ignore[operator]


@FAST
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=60))
def test_summary_orders_its_figures(values: list[int]) -> None:
    s = r.summarize(values)
    assert s.p50 is not None and s.p90 is not None and s.mean is not None
    assert min(values) <= s.p50 <= s.p90 <= max(values)
    assert s.count == len(values)


@FAST
@given(st.lists(st.tuples(instants, st.none() | minutes), max_size=30), instants, instants)
def test_backlog_moves_by_arrivals_less_resolutions(
    raw: list[tuple[datetime, timedelta | None]], t1: datetime, t2: datetime
) -> None:
    items = [(c, None if d is None else c + d) for c, d in raw]
    lo, hi = min(t1, t2), max(t1, t2)
    arrived = sum(lo < c <= hi for c, _ in items)
    resolved = sum(res is not None and lo < res <= hi and c <= hi for c, res in items)
    # Items both created and resolved in (lo, hi] are in both counts and cancel out.
    assert r.backlog(items, hi) - r.backlog(items, lo) == arrived - resolved


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    start = draw(instants)
    version = RotationVersion(
        members=tuple(draw(st.lists(st.sampled_from("abcd"), min_size=1, max_size=3))),
        start=start,
        turn_days=draw(st.sampled_from([1, 7, 14])),
        handoff_weekday=None,
        handoff_time=draw(st.sampled_from([time(0), time(9), time(17, 30)])),
        time_zone=draw(st.sampled_from(["UTC", "Europe/London", "America/New_York"])),
    )
    overrides, cursor = [], start - timedelta(days=3)
    for i in range(draw(st.integers(0, 6))):
        lo = cursor + timedelta(minutes=draw(st.integers(0, 60 * 24 * 10)))
        hi = lo + timedelta(minutes=draw(st.integers(1, 60 * 24 * 9)))
        overrides.append(Override(i, draw(st.sampled_from("xyz")), lo, hi))
        cursor = hi
    return Schedule([version], overrides)


@FAST
@given(schedules(), st.integers(1, 60), st.lists(st.integers(0, 10**9), min_size=1, max_size=20))
def test_every_arrival_goes_to_the_final_schedules_hero_at_that_instant(
    schedule: Schedule, days: int, offsets: list[int]
) -> None:
    start = schedule.versions[0].start - timedelta(days=2)
    end = start + timedelta(days=days)
    part = r.hero_weeks(schedule, start, end)
    for off in offsets:
        t = start + (end - start) * (off / 10**9)
        if t >= end:
            continue
        period = part.period_at(t)
        assert period is not None
        assert period.person == schedule.who(t).person
        assert any(a <= t < b for a, b in period.pieces)
    # The periods tile [start, end) exactly.
    assert part.bounds[0] == start and part.bounds[-1] == end
    assert None not in part.owners


@FAST
@given(schedules())
def test_one_hero_week_holds_at_most_one_turn_of_the_rotation(schedule: Schedule) -> None:
    start = schedule.versions[0].start
    end = start + timedelta(days=30)
    for period in r.hero_weeks(schedule, start, end).periods:
        if period.person is None:
            continue
        turns = {
            p.turn_index
            for a, b in period.pieces
            for p in Schedule(schedule.versions, ()).final(a, b)
            if p.source == "rotation"
        }
        assert len(turns) <= 1


values = st.floats(min_value=0, max_value=1e9, allow_nan=False)


@FAST
@given(st.lists(values, min_size=1, max_size=60), st.sampled_from([0, 1, 50, 90, 99, 100]))
def test_buckets_keep_the_order_so_a_rank_falls_in_one_bucket(vs: list[float], p: int) -> None:
    # What the report's SQL relies on: within a bucket the values are between
    # its edges, so counting per bucket and sorting one bucket finds the rank.
    for v in vs:
        b = r.bucket(v)
        assert b is not None
        assert (b == len(r.EDGES) or v <= r.EDGES[b]) and (b == 0 or v > r.EDGES[b - 1])
    counts: dict[int, list[float]] = {}
    for v in vs:
        counts.setdefault(r.bucket(v) or 0, []).append(v)
    want = r.percentile(vs, p)
    k = r.rank(p, len(vs))
    for b in sorted(counts):
        if k <= len(counts[b]):
            assert sorted(counts[b])[k - 1] == want
            break
        k -= len(counts[b])
    assert set(r.HISTOGRAM_EDGES) <= set(r.EDGES) and r.bucket(None) is None
