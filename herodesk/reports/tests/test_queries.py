"""The SQL report equals the domain's definitions recomputed from the tickets."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any

import pytest

from herodesk.domain import reports as d
from herodesk.lib.errors import Invalid
from herodesk.reports import queries
from herodesk.reports.tests import scenario
from herodesk.tickets import actions
from herodesk.tickets.models import Reopening

pytestmark = pytest.mark.django_db

START, END = scenario.START, scenario.START + timedelta(days=21)
NOW = scenario.START + timedelta(days=25)


@pytest.fixture
def history(team: Any, hero: Any, teammate: Any, lead: Any) -> Any:
    scenario.rotation(team, [hero, teammate], lead)
    return scenario.history(team, hero)


def same(got: d.Row, want: d.Row) -> None:
    g, w = asdict(got), asdict(want)
    for name, value in w.items():
        if isinstance(value, float):
            assert g[name] == pytest.approx(value, abs=1e-4), name
        else:
            assert g[name] == value, name


def test_every_row_matches_the_recomputation(team: Any, history: Any) -> None:
    for group_by in queries.GROUP_BYS:
        report = queries.report(team, START, END, group_by, now=NOW)
        want = scenario.recomputed(team, START, END, group_by, NOW)
        assert sorted(r.key for r in report.rows) == sorted(want)
        for row in report.rows:
            same(row.figures, want[row.key])
        assert sum(r.figures.created for r in report.rows) == 50


def test_the_figures_are_not_trivial(team: Any, history: Any) -> None:
    rows = queries.report(team, START, END, "week", now=NOW).rows
    total = sum(r.figures.attainment.total for r in rows)
    assert total == sum(r.figures.first_responses for r in rows) > 20
    assert all(r.figures.frt_p50 is not None for r in rows if r.figures.first_responses)
    assert rows[-1].figures.created == 0 and rows[-1].figures.frt_p50 is None  # a 9-hour sliver
    assert sum(r.figures.solved for r in rows) > 10
    assert len({r.figures.backlog_end for r in rows}) > 1


def test_hero_weeks_split_off_the_override(team: Any, history: Any, hero: Any, lead: Any) -> None:
    rows = queries.report(team, START, END, "hero_week", now=NOW).rows
    heroes = [(r.hero, r.key) for r in rows]
    assert heroes[:3] == [
        ("hera", "2026-03-02T09:00Z/hera"),
        ("lena", "2026-03-02T09:00Z/lena"),
        ("tim", "2026-03-09T09:00Z/tim"),
    ]
    assert rows[1].label.startswith("Lena · 4 Mar")
    assert rows[1].figures.created == 2 and rows[1].figures.attainment.great == 2


def test_a_reply_stores_working_minutes_without_the_pause(team: Any, hero: Any) -> None:
    at = scenario.z(2026, 3, 3, 9)  # Tuesday 09:00 GMT
    t = actions.ticket_create(subject="s", body="b", actor="t", team=team, created_at=at)
    actions.ticket_set_status(t, "pending", actor=hero, at=at + timedelta(minutes=10))
    actions.ticket_set_status(t, "open", actor=hero, at=at + timedelta(minutes=70))
    actions.ticket_reply(t, author=hero, body="r", at=at + timedelta(minutes=100))
    t.refresh_from_db()
    assert t.first_response_minutes == 40 and t.first_response_grade == "okay"
    actions.ticket_set_status(t, "solved", actor=hero, at=scenario.z(2026, 3, 4, 10))
    t.refresh_from_db()
    assert t.resolution_minutes == 8 * 60 + 60
    actions.ticket_requester_message(t, body="again", at=scenario.z(2026, 3, 4, 11))
    t.refresh_from_db()
    assert t.resolution_minutes is None and t.solved_at is None


def test_a_report_is_a_few_statements_whatever_the_size(
    team: Any, history: Any, django_assert_max_num_queries: Any
) -> None:
    # Aggregates, the buckets' ends (time groupings and SQLite), the bucket
    # counts, the ranked values, the backlog: never a statement per period.
    with django_assert_max_num_queries(5):
        queries.report(team, START, END, "channel", now=NOW)
    with django_assert_max_num_queries(5 + 4):  # + the schedule (3) and the heroes' names
        queries.report(team, START, END, "hero_week", now=NOW)
    with django_assert_max_num_queries(5):
        queries.report(team, START - timedelta(days=300), END, "week", now=NOW)  # 46 weeks


@pytest.mark.parametrize(
    ("start", "end", "group_by", "field"),
    [
        (END, START, "week", "end"),
        (START, START + timedelta(days=800), "week", "end"),
        (START, END, "month", "group_by"),
        (START.replace(tzinfo=None), END, "week", "start"),
    ],
)
def test_bad_ranges_say_which_field(
    team: Any, start: Any, end: Any, group_by: str, field: str
) -> None:
    with pytest.raises(Invalid) as err:
        queries.report(team, start, end, group_by)
    assert err.value.field == field


def test_the_scenario_has_reopenings_and_next_replies(team: Any, history: Any) -> None:
    # What the two tests below check on purpose also runs through every report above.
    assert Reopening.objects.filter(ticket__team=team).count() >= 3
    rows = queries.report(team, START, END, "week", now=NOW).rows
    assert sum(r.figures.next_replies for r in rows) >= 3
    naive = [
        d.backlog(
            [(t.created_at, d.resolved_at(t.solved_at, t.closed_at)) for t in history],
            min(r.end, NOW),
        )
        for r in rows
        if r.end
    ]
    assert [r.figures.backlog_end for r in rows] != naive  # the status history matters


def test_the_backlog_of_a_past_moment_reads_the_status_history(team: Any, hero: Any) -> None:
    at = scenario.z(2026, 3, 2, 10)  # Monday
    again = actions.ticket_create(subject="a", body="b", actor="t", team=team, created_at=at)
    actions.ticket_reply(again, author=hero, body="r", at=at + timedelta(minutes=5))
    actions.ticket_set_status(again, "solved", actor=hero, at=scenario.z(2026, 3, 3, 10))
    actions.ticket_requester_message(again, body="still", at=scenario.z(2026, 3, 5, 10))
    twice = actions.ticket_create(subject="c", body="d", actor="t", team=team, created_at=at)
    actions.ticket_reply(twice, author=hero, body="r", at=at + timedelta(minutes=5))
    actions.ticket_set_status(twice, "solved", actor=hero, at=scenario.z(2026, 3, 3, 12))
    actions.ticket_set_status(twice, "open", actor=hero, at=scenario.z(2026, 3, 4, 10))
    actions.ticket_set_status(twice, "solved", actor=hero, at=scenario.z(2026, 3, 6, 10))
    moments = [scenario.z(2026, 3, d_, 18) for d_ in (2, 3, 4, 5, 6)]
    counts = [c.get(None, 0) for c in queries.backlog_at(team, moments)]
    # Mon: both open; Tue: both solved; Wed: twice reopened; Thu: again reopened too;
    # Fri: twice solved again.
    assert counts == [2, 0, 1, 2, 1]
    gaps = scenario.reopened_gaps([again, twice])
    assert [d.backlog([(at, None, gaps[again.pk])], m) for m in moments] == [1, 0, 0, 1, 1]
    assert Reopening.objects.filter(ticket=twice).count() == 1


def test_next_replies_store_their_working_minutes_and_add_up(team: Any, hero: Any) -> None:
    at = scenario.z(2026, 3, 3, 9)  # Tuesday 09:00 GMT
    t = actions.ticket_create(subject="s", body="b", actor="t", team=team, created_at=at)
    actions.ticket_reply(t, author=hero, body="r", at=at + timedelta(minutes=10))
    actions.ticket_requester_message(t, body="and?", at=scenario.z(2026, 3, 3, 16, 30))
    actions.ticket_set_status(t, "pending", actor=hero, at=scenario.z(2026, 3, 4, 9))
    actions.ticket_set_status(t, "open", actor=hero, at=scenario.z(2026, 3, 4, 10))
    actions.ticket_reply(t, author=hero, body="r2", at=scenario.z(2026, 3, 4, 10, 20))
    actions.ticket_requester_message(t, body="ok", at=scenario.z(2026, 3, 4, 11))
    actions.ticket_reply(t, author=hero, body="r3", at=scenario.z(2026, 3, 4, 11, 5))
    t.refresh_from_db()
    # 16:30–17:00 and 09:00–10:20 less the hour pending (working time), then 5 minutes.
    assert (t.next_replies, t.next_reply_minutes) == (2, 30 + 20 + 5)
    # Calendar: Tue 16:30 → Wed 10:20 (17 h 50 min, the pending hour included), then 5 minutes.
    assert t.next_reply_calendar_minutes == 17 * 60 + 50 + 5
    assert t.first_response_minutes == 10 and t.first_response_calendar_minutes == 10
    [row] = [r for r in queries.report(team, START, END, "week", now=NOW).rows if r.figures.created]
    assert row.figures.next_replies == 2 and row.figures.nrt_mean == 27.5
    assert row.figures.nrt_calendar_mean == (17 * 60 + 50 + 5) / 2


def _statements(team: Any, group_by: str, monkeypatch: Any) -> list[tuple[str, list[Any]]]:
    from herodesk.reports import sql

    seen: list[tuple[str, list[Any]]] = []
    fetch = sql.fetch

    def spy(statement: str, params: list[Any]) -> list[Any]:
        seen.append((statement, params))
        return fetch(statement, params)

    monkeypatch.setattr(sql, "fetch", spy)
    queries.report(team, START, END, group_by, now=NOW)
    monkeypatch.undo()
    return seen


def test_sqlite_reads_the_report_indexes_alone(team: Any, history: Any, monkeypatch: Any) -> None:
    """Every ticket a report statement reads comes from a covering index (a
    table row per ticket doubled the cost), except the reopenings' tickets,
    looked up by key; and no join builds a Bloom filter over the tickets."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plans; PostgreSQL's are checked by the benchmark")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as on a database the desk has used (plans by statistics)
    for group_by in queries.GROUP_BYS:
        for statement, params in _statements(team, group_by, monkeypatch):
            if "tickets_ticket" not in statement:
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {statement}", params)
                plan = [row[3] for row in cursor.fetchall()]
            reads = [s for s in plan if s.startswith(("SEARCH t", "SCAN t"))]
            assert reads, (group_by, plan)
            for step in reads:
                by_key = "PRIMARY KEY" in step or "rowid=?" in step
                assert "COVERING INDEX" in step or by_key, (group_by, step)
            assert not any("BLOOM" in step for step in plan), (group_by, plan)


def test_time_nobody_covers_says_how_many_gaps_and_hours(team: Any, history: Any) -> None:
    early = START - timedelta(hours=30)  # the rotation starts at START
    rows = queries.report(team, early, START + timedelta(days=7), "hero_week", now=NOW).rows
    nobody = rows[-1]
    assert nobody.hero is None and nobody.key == d.NOBODY
    assert nobody.label == "Nobody on duty · 1 gap, 30 h in all"
    assert (nobody.start, nobody.end) == (early, START)


def test_nearest_rank_fractions_give_the_exact_rank() -> None:
    """PostgreSQL's percentile_disc(f) takes row ceil(f * n) in float8; the
    fractions `sql.fractions` sends land on `d.rank` for every p and n (with
    f = p / 100, 0.07 * 100 comes out as 7.000000000000001: the 8th row)."""
    from math import ceil

    from herodesk.reports import sql

    assert ceil(0.07 * 100) == 8  # the trap
    for p, f in zip(range(101), sql.fractions(range(101)), strict=True):
        for n in range(1, 3001):
            assert max(1, ceil(f * n)) == d.rank(p, n), (p, n)


@pytest.mark.parametrize("n", [70, 101])
def test_nearest_ranks_of_a_known_series(team: Any, n: int) -> None:
    """Values 1..n minutes: p50 and p90 are the rank(p, n)-th values, on both
    databases (PostgreSQL by ordered-set aggregates, SQLite by value buckets)."""
    from herodesk.reports import sql

    # PostgreSQL groups channels as an index hands them over and hashes tiers.
    assert sql._in_order("channel") and not sql._in_order("tier")
    from herodesk.tickets.models import Ticket

    at = scenario.z(2026, 3, 3, 9)
    rows = []
    for i in range(1, n + 1):
        created = at + timedelta(minutes=i)
        minutes = float(i) if i % 7 else i + 0.5  # a few values off the whole minute
        rows.append(
            Ticket(
                team=team, channel="email", subject=f"s{i}", created_at=created,
                updated_at=created, first_response_at=created, first_response_minutes=minutes,
                first_response_grade="okay", first_response_bucket=d.bucket(minutes),
                first_response_calendar_minutes=2 * minutes,
                first_response_calendar_bucket=d.bucket(2 * minutes),
            )
        )  # fmt: skip
    Ticket.objects.bulk_create(rows[::-1])  # stored out of order
    values = sorted(t.first_response_minutes for t in rows)
    for group_by in ("channel", "tier", "week"):  # PostgreSQL: in order, hashed, by pieces
        report = queries.report(team, at, at + timedelta(days=1), group_by, now=NOW)
        [row] = [r for r in report.rows if r.figures.created]
        assert row.figures.frt_p50 == values[d.rank(50, n) - 1]
        assert row.figures.frt_p90 == values[d.rank(90, n) - 1]
        assert row.figures.frt_calendar_p50 == 2 * values[d.rank(50, n) - 1]


@pytest.mark.parametrize(
    ("start", "end", "now"),
    [
        (START, END, NOW),  # whole periods, every instant a period's end
        (START - timedelta(days=2), END, START + timedelta(days=9, hours=5)),  # `now` inside
        (START + timedelta(days=2, hours=3), END - timedelta(hours=7), NOW),  # from the override
    ],
)
def test_the_backlog_takes_the_arrivals_the_aggregates_counted(
    team: Any, history: Any, monkeypatch: Any, start: Any, end: Any, now: Any
) -> None:
    """Time groupings' backlogs reuse the aggregates' arrival counts (per piece
    on SQLite, per key on PostgreSQL): arrivals exactly at an instant, before
    the range, and in pieces an instant cuts (the hero-week the override
    splits, a piece running past `now`) still count where they belong."""
    from herodesk.reports import backlog

    edges = {start - timedelta(days=1), start, now}
    for group_by in ("week", "hero_week"):
        for p in queries.periods(team, start, end, group_by).periods:
            edges |= {p.start, p.end, *(a for a, _ in p.pieces), *(b for _, b in p.pieces)}
    for at in sorted(edges):
        actions.ticket_create(subject="edge", body="b", actor="t", team=team, created_at=at)

    def refused(*args: Any) -> Any:
        raise AssertionError("a time grouping counted its arrivals twice")

    monkeypatch.setattr(backlog, "_interval_counts", refused)
    for group_by in ("week", "hero_week"):
        report = queries.report(team, start, end, group_by, now=now)
        want = scenario.recomputed(team, start, end, group_by, now)
        assert [r.figures.backlog_end for r in report.rows] == [
            want[r.key].backlog_end for r in report.rows
        ]
        for row in report.rows:
            same(row.figures, want[row.key])
    monkeypatch.undo()
    # The same instants counted without the aggregates' help agree.
    rows = queries.report(team, start, end, "hero_week", now=now).rows
    ends = sorted({min(r.end, now) for r in rows if r.end})
    direct = [c.get(None, 0) for c in queries.backlog_at(team, ends)]
    by_end = dict(zip(ends, direct, strict=True))
    assert [r.figures.backlog_end for r in rows] == [by_end[min(r.end, now)] for r in rows if r.end]
