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
