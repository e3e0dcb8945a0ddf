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
    "Mine" views walk each unresolved status in order: two more)."""
    client.force_login(hero)
    spread(team, hero, 6, other_team)
    small = {path: page_queries(client, path) for path in PAGES}
    spread(team, hero, 60, other_team)
    for path in PAGES:
        large = page_queries(client, path)
        assert len(large) == len(small[path]), (path, large)
        limit = 11 if "mine" in path else 9
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
