"""Properties of the schedule engine on random rotations, versions, restrictions
and overrides (hypothesis; zones with 1 h and 30 min DST changes)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from herodesk.domain.schedule import (
    Override,
    RotationVersion,
    Schedule,
    Shift,
    WeeklyWindow,
    rotation_boundaries,
)

ZONES = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
EPS = timedelta(microseconds=1)
FAST = settings(max_examples=200, deadline=None)

instants = st.datetimes(
    min_value=datetime(2025, 6, 1), max_value=datetime(2027, 6, 1), timezones=st.just(UTC)
)
# Handoff times near the DST changes are the interesting ones.
handoffs = st.one_of(
    st.sampled_from([time(0), time(1, 30), time(2), time(2, 30), time(9)]),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
windows = st.builds(
    WeeklyWindow,
    st.integers(0, 6),
    st.sampled_from([time(0), time(1, 30), time(9), time(17), time(22)]),
    st.sampled_from([time(0), time(2), time(6), time(17), time.max]),
)


@st.composite
def versions(draw: st.DrawFn, zone: str) -> RotationVersion:
    turn_days = draw(st.sampled_from([1, 2, 7, 14]))
    return RotationVersion(
        members=tuple(draw(st.lists(st.sampled_from("abcde"), min_size=1, max_size=4))),
        start=draw(instants),
        turn_days=turn_days,
        handoff_weekday=draw(st.none() | st.integers(0, 6)) if turn_days % 7 == 0 else None,
        handoff_time=draw(handoffs),
        time_zone=zone,
        restrictions=tuple(draw(st.lists(windows, max_size=3))),
    )


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    zone = draw(st.sampled_from(ZONES))
    first = draw(versions(zone))
    layers = [first]
    if draw(st.booleans()):
        second = draw(versions(zone))
        begins = first.begins + timedelta(hours=draw(st.integers(1, 24 * 90)))
        layers.append(
            RotationVersion(**{**_fields(second), "effective_from": begins})  # type: ignore[arg-type]
        )
    overrides, cursor = [], first.begins - timedelta(days=10)
    for i in range(draw(st.integers(0, 8))):
        lo = cursor + timedelta(minutes=draw(st.integers(-600, 60 * 24 * 20)))
        hi = lo + timedelta(minutes=draw(st.integers(1, 60 * 24 * 8)))
        overrides.append(Override(i, draw(st.sampled_from("vwxyz")), lo, hi))
        cursor = hi
    return Schedule(layers, overrides)


def _fields(v: RotationVersion) -> dict[str, object]:
    return {name: getattr(v, name) for name in v.__dataclass_fields__}


def key(p: Shift) -> tuple[object, ...]:
    return (p.person, p.source, p.override_id, p.turn_index)


def containing(pieces: list[Shift], t: datetime) -> Shift:
    (found,) = [p for p in pieces if p.start <= t < p.end]
    return found


@FAST
@given(schedules(), instants, st.integers(1, 60 * 24 * 45))
def test_final_covers_the_window_exactly_once(s, start, minutes):
    end = start + timedelta(minutes=minutes)
    pieces = s.final(start, end)
    assert pieces[0].start == start and pieces[-1].end == end
    for p in pieces:
        assert p.start < p.end and p.start.tzinfo is UTC and p.end.tzinfo is UTC
        assert (p.person is None) == (p.source == "gap")
    for a, b in zip(pieces, pieces[1:], strict=False):
        assert a.end == b.start  # contiguous, so no overlap and no hole
        assert key(a) != key(b)  # equal neighbours are merged


@FAST
@given(schedules(), instants, st.integers(1, 60 * 24 * 45), st.lists(st.floats(0, 1), max_size=5))
def test_who_agrees_with_the_final_piece_containing_t(s, start, minutes, fractions):
    end = start + timedelta(minutes=minutes)
    pieces = s.final(start, end)
    probes = [start + (end - start) * f for f in fractions] + [p.start for p in pieces]
    for t in probes:
        t = min(t, end - EPS)
        piece, w = containing(pieces, t), s.who(t)
        assert w.start <= t < w.end and key(w) == key(piece)
        clipped = (max(w.start, start), min(w.end, end))
        if w.start == t or w.end == t + EPS:  # possibly an open-ended gap, cut at t
            assert piece.start <= clipped[0] and clipped[1] <= piece.end
        else:
            assert clipped == (piece.start, piece.end)


@FAST
@given(schedules(), instants, st.integers(2, 60 * 24 * 30), st.floats(0.01, 0.99))
def test_splitting_the_window_changes_nothing(s, start, minutes, f):
    end = start + timedelta(minutes=minutes)
    middle = start + (end - start) * f
    whole = s.final(start, end)
    left = [
        Shift(p.person, max(p.start, start), min(p.end, middle), p.source, p.override_id,
              p.turn_index)
        for p in whole
        if p.start < middle
    ]  # fmt: skip
    assert left == s.final(start, middle)


@FAST
@given(
    st.sampled_from(ZONES),
    handoffs,
    st.integers(0, 6),
    instants,
    st.integers(0, 300),
)
def test_weekly_handoffs_fall_at_the_local_wall_clock_time(zone, at, weekday, start, weeks):
    tz = ZoneInfo(zone)
    v = RotationVersion(("a", "b"), start, handoff_weekday=weekday, handoff_time=at, time_zone=zone)
    lo = start + timedelta(weeks=weeks)
    found = rotation_boundaries(v, lo, lo + timedelta(days=22))
    assert len(found) in (3, 4)
    for b in found:
        wanted = datetime.combine(b.astimezone(tz).date(), at)
        local = b.astimezone(tz).replace(tzinfo=None)
        if local == wanted:  # it exists: the later occurrence when it happens twice
            assert b == wanted.replace(tzinfo=tz, fold=1).astimezone(UTC)
        else:  # it does not exist: the first valid instant after it
            wanted = datetime.combine((b - EPS).astimezone(tz).date(), at)
            before = (b - EPS).astimezone(tz).replace(tzinfo=None)
            assert before < wanted < local
        assert wanted.weekday() == weekday
    for a, b in zip(found, found[1:], strict=False):
        assert abs((b - a) - timedelta(weeks=1)) <= timedelta(hours=1)


@FAST
@given(st.sampled_from(ZONES), handoffs, st.sampled_from([1, 3, 7]), instants, instants)
def test_turn_index_counts_the_handoffs_in_between(zone, at, days, t1, t2):
    t1, t2 = min(t1, t2), max(t1, t2)
    v = RotationVersion(
        ("a", "b", "c"), datetime(2025, 1, 1, tzinfo=UTC), turn_days=days, handoff_weekday=None,
        handoff_time=at, time_zone=zone,
    )  # fmt: skip
    s = Schedule([v], [])
    a, b = s.who(t1), s.who(t2)
    between = rotation_boundaries(v, t1 + EPS, t2 + EPS) if t2 > t1 else []
    assert b.turn_index - a.turn_index == len(between)
    assert b.person == "abc"[b.turn_index % 3]
