"""The queue costs a fixed number of queries whatever its length."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from herodesk.customers.models import Organization, Requester
from herodesk.tickets import actions

pytestmark = pytest.mark.django_db


def fill(team, n):
    org = Organization.objects.create(name=f"Org{n}", plan="teams")
    for i in range(n):
        req = Requester.objects.create(email=f"r{n}-{i}@x.example", organization=org)
        actions.ticket_create(subject=f"s{i}", body="b", actor="t", team=team, requester=req)


@pytest.mark.parametrize("n", [10, 500])
def test_queue_api_query_count_is_flat(team, hero, api_as, n):
    fill(team, n)
    api = api_as(hero)
    with CaptureQueriesContext(connection) as ctx:
        res = api.get("queue?team=pipeline&limit=200")
    assert res.status_code == 200 and len(res.json()["items"]) == min(n, 200)
    assert len(ctx.captured_queries) <= 6, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("n", [10, 500])
def test_queue_page_query_count_is_flat(team, hero, client, n):
    fill(team, n)
    client.force_login(hero)
    with CaptureQueriesContext(connection) as ctx:
        res = client.get("/queue/pipeline/")
    assert res.status_code == 200
    assert len(ctx.captured_queries) <= 10, [q["sql"] for q in ctx.captured_queries]


def spread(team, hero, n, other_team=None):
    """n tickets of mixed tiers and statuses, a quarter on another team, two of
    three of the rest the hero's."""
    org = Organization.objects.create(name=f"Spread{n}", plan="teams")
    statuses = ["new", "open", "pending", "solved", "closed"]
    for i in range(n):
        req = Requester.objects.create(email=f"s{n}-{i}@x.example", organization=org)
        where = other_team if other_team is not None and i % 4 == 3 else team
        t = actions.ticket_create(
            subject=f"s{i}", body="b", actor="t", team=where, requester=req,
            tier=i % 6, assignee=hero if i % 3 and where == team else None,
        )  # fmt: skip
        status = statuses[i % 5]
        if status == "pending":
            actions.ticket_set_status(t, "pending", actor="t")
        elif status == "open":
            actions.ticket_set_status(t, "open", actor="t")
        elif status in ("solved", "closed"):
            actions.ticket_set_status(t, "solved", actor="t", force=True)
            if status == "closed":
                actions.ticket_set_status(t, "closed", actor="t")


PAGES = [
    "/queue/pipeline/",
    "/queue/pipeline/?view=mine",
    "/queue/pipeline/?view=unassigned",
    "/queue/pipeline/?view=breaching",
    "/queue/pipeline/?view=overdue",
    "/queue/pipeline/?view=pending",
    "/queue/mine/",
    "/queue/unrouted/",
    "/queue/unrouted/?view=mine",
]


def page_queries(client, path):
    client.get(path)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        res = client.get(path)
    assert res.status_code == 200, path
    return [q["sql"] for q in ctx.captured_queries]


def test_every_queue_view_costs_the_same_queries_for_6_or_66_tickets(
    team, other_team, hero, client
):
    """Tabs with counts, rows, filters: a fixed number of queries per view (the
    "Mine" views walk each unresolved status in order: two more on SQLite)."""
    client.force_login(hero)
    spread(team, hero, 6, other_team)
    small = {path: page_queries(client, path) for path in PAGES}
    spread(team, hero, 60, other_team)
    for path in PAGES:
        large = page_queries(client, path)
        assert len(large) == len(small[path]), (path, large)
        # SQLite's "Mine" walks each unresolved status in its own statement;
        # PostgreSQL's walks them in one (a UNION of three LIMITed walks).
        limit = 11 if "mine" in path and connection.vendor == "sqlite" else 9
        assert len(large) <= limit, (path, len(large), large)


def test_mine_pages_through_every_unresolved_ticket_in_queue_order(team, other_team, hero):
    from herodesk.tickets import queries
    from herodesk.tickets.models import UNRESOLVED_STATUSES, Ticket

    spread(team, hero, 60, other_team)
    for scope in ({"team": team}, {}):
        mine = Ticket.objects.filter(assignee=hero, status__in=UNRESOLVED_STATUSES, **scope)
        expected = [t.pk for t in mine.order_by(*queries.QUEUE_ORDER)]
        assert len(expected) > 14
        seen, cursor = [], None
        while True:
            rows, cursor = queries.queue(view="mine", user=hero, limit=7, cursor=cursor, **scope)
            seen += [t.pk for t in rows]
            if cursor is None:
                break
        assert seen == expected


def test_no_queue_view_sorts_its_rows_on_sqlite(team, other_team, hero, client):
    """Each list query walks an index in queue order and stops after the page;
    a sort (SQLite's temp B-tree) would cost all matching rows on every page.
    Not "Pending": a team's tickets waiting on their requesters, sorted (no
    index of its own on the most-written table)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plans; PostgreSQL picks by table statistics")
    client.force_login(hero)
    spread(team, hero, 30, other_team)
    for path in (p for p in PAGES if "pending" not in p):
        for sql in page_queries(client, path):
            if "ORDER BY" not in sql or "tickets_ticket" not in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = [row[3] for row in cursor.fetchall()]
            assert not any("TEMP B-TREE" in step for step in plan), (path, sql, plan)


def test_tab_counts_are_the_row_counts_of_each_view(team, other_team, hero):
    """The tab counts (one statement) say how many rows each view lists."""
    from datetime import timedelta

    from django.utils import timezone

    from herodesk.tickets import queries, queue_tabs
    from herodesk.tickets.models import Ticket

    spread(team, hero, 40, other_team)
    now = timezone.now()
    ids = list(Ticket.objects.filter(team=team).order_by("id").values_list("id", flat=True))
    Ticket.objects.filter(pk__in=ids[::3]).update(sort_due=now - timedelta(hours=1))
    Ticket.objects.filter(pk__in=ids[1::3]).update(sort_due=now + timedelta(minutes=10))
    counts = queue_tabs.queue_counts(team, hero, now)
    for view in queries.QUEUE_VIEWS:
        rows, cursor = queries.queue(view=view, team=team, user=hero, now=now, limit=200)
        assert cursor is None
        assert counts[view] == len(rows), (view, counts)
    assert min(counts.values()) > 0, counts
    assert counts["team"] > counts["unassigned"] and counts["team"] > counts["overdue"]


def _pg_plan(sql: str, analyze: bool = False) -> dict:
    """PostgreSQL's plan of `sql` with sequential and bitmap scans and sorts
    priced out, so a small test table gets the plan a large desk gets: what an
    index can serve is served by it."""
    import json

    with connection.cursor() as cursor:
        for knob in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET {knob} = off")
        try:
            options = "ANALYZE, FORMAT JSON" if analyze else "FORMAT JSON"
            cursor.execute(f"EXPLAIN ({options}) {sql}")
            raw = cursor.fetchone()[0]
        finally:
            for knob in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                cursor.execute(f"RESET {knob}")
    return (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


@pytest.mark.django_db(transaction=True)
def test_tab_counts_read_the_covering_index_alone(team, other_team, hero):
    """The counts name only columns of `ticket_counts`: SQLite reads it as a
    covering index, PostgreSQL (visibility map set, as autovacuum leaves a
    running desk) as an index-only scan, never a table row."""
    from herodesk.tickets import queue_tabs

    spread(team, hero, 12, other_team)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) tickets_ticket")
    with CaptureQueriesContext(connection) as ctx:
        queue_tabs.queue_counts(team, hero)
    (sql,) = [q["sql"] for q in ctx.captured_queries]
    if connection.vendor == "postgresql":
        scans = [n for n in _nodes(_pg_plan(sql)) if n.get("Relation Name") == "tickets_ticket"]
        assert [(n["Node Type"], n["Index Name"]) for n in scans] == [
            ("Index Only Scan", "ticket_counts")
        ], scans
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = [row[3] for row in cursor.fetchall()]
        assert any("USING COVERING INDEX ticket_counts" in step for step in plan), plan


def test_mine_is_one_statement_that_sorts_nothing_on_postgresql(team, other_team, hero, client):
    """PostgreSQL: a team's "Mine" is one list statement (a walk per unresolved
    status, LIMIT each, merged), costing the queries of the team view; its plan
    walks `ticket_counts` in queue order (no sort of everything the hero has
    open) and reads at most a page per status."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no LIMIT inside a UNION: three walks, merged in Python")
    client.force_login(hero)
    spread(team, hero, 60, other_team)
    team_view = page_queries(client, "/queue/pipeline/")
    mine = page_queries(client, "/queue/pipeline/?view=mine")
    assert len(mine) == len(team_view), mine
    (listing,) = [sql for sql in mine if "ORDER BY" in sql and "tickets_ticket" in sql]
    assert listing.count("UNION ALL") == 2 and listing.count("LIMIT 51") == 4, listing
    from herodesk.tickets import queries

    with CaptureQueriesContext(connection) as ctx:
        rows, _ = queries.queue(view="mine", team=team, user=hero, limit=3)
    assert len(rows) == 3
    plan = _pg_plan(ctx.captured_queries[0]["sql"], analyze=True)
    nodes = list(_nodes(plan))
    assert not any(n["Node Type"] in ("Sort", "Incremental Sort") for n in nodes), nodes
    scans = [n for n in nodes if n.get("Relation Name") == "tickets_ticket"]
    assert {n.get("Index Name") for n in scans} == {"ticket_counts"}, scans
    assert sum(n["Actual Rows"] for n in scans) <= 3 * 4, scans


def test_queue_rows_carry_their_team_without_a_query(team, hero):
    """The team's views join no team row per ticket; each row still has its team."""
    from herodesk.tickets import queries

    org = Organization.objects.create(name="OrgT", plan="teams")
    for i in range(4):
        req = Requester.objects.create(email=f"t{i}@x.example", organization=org)
        actions.ticket_create(
            subject=f"s{i}", body="b", actor="t", team=team, requester=req,
            assignee=hero if i % 2 else None,
        )  # fmt: skip
    for view, expected in (("team", 4), ("mine", 2)):
        with CaptureQueriesContext(connection) as ctx:
            rows, _ = queries.queue(view=view, team=team, user=hero)
            names = [t.team.name for t in rows]
        assert names == [team.name] * expected, (view, names)
        assert ctx.captured_queries, view
        assert not any("teams_team" in q["sql"] for q in ctx.captured_queries), view


@pytest.mark.parametrize("view", ["team", "unassigned", "pending"])
def test_a_filtered_page_read_ids_first_is_the_one_statement_page(
    team, other_team, hero, monkeypatch, view
):
    """PostgreSQL reads a filtered page's ids, then their rows
    (`queries._ids_first`): the same rows, in the same order, page after page,
    as the one statement SQLite runs; both paths on both databases."""
    from django.db.models import Q

    from herodesk.tickets import queries, search

    spread(team, hero, 60, other_team)
    wheres = [search.condition("s1"), Q(tier__in=[1, 2, 4]), search.condition("-s3")]

    def pages(ids_first, where):
        monkeypatch.setattr(queries, "_ids_first", lambda: ids_first)
        seen, cursor = [], None
        while True:
            rows, cursor = queries.queue(
                view=view, team=team, user=hero, limit=4, cursor=cursor, where=where,
                columns=("subject", "requester__name", "assignee__username"),
            )  # fmt: skip
            seen += rows
            if cursor is None:
                return seen

    shown = 0
    for where in wheres:
        one = pages(False, where)
        assert pages(True, where) == one, (view, where)
        shown += len(one)
    assert shown > 4, view  # more than a page, for some filter
    with CaptureQueriesContext(connection) as ctx:
        monkeypatch.setattr(queries, "_ids_first", lambda: True)
        queries.queue(
            view=view, team=team, user=hero, where=Q(subject="none"), columns=("subject",)
        )
    assert len(ctx.captured_queries) == 1  # no ids: no second statement


def test_ids_first_is_postgresqls_way():
    from herodesk.tickets import queries

    assert queries._ids_first() is (connection.vendor == "postgresql")
