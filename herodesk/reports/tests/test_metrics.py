"""GET /metrics: off without a token, bearer-protected, parsed by prometheus_client's
own parser and compared with the database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from herodesk.notify.models import Delivery, WorkerBeat
from herodesk.reports.metrics import FRT_BUCKETS
from herodesk.reports.tests import scenario
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db
TOKEN = "scrape-me-4f1c"


def scrape(token: str | None = TOKEN) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().get("/metrics", **headers)


def samples(body: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for family in text_string_to_metric_families(body):
        out.setdefault(family.name, []).extend(family.samples)
    return out


def value(found: dict[str, list[Any]], family: str, name: str, **labels: str) -> float:
    matches = [s.value for s in found[family] if s.name == name and s.labels == labels]
    assert len(matches) == 1, (name, labels, found[family])
    return float(matches[0])


def test_metrics_are_off_without_a_token(settings: Any, team: Any) -> None:
    settings.HERODESK_METRICS_TOKEN = ""
    assert scrape().status_code == 404


def test_a_scrape_needs_the_bearer_token(settings: Any, team: Any) -> None:
    settings.HERODESK_METRICS_TOKEN = TOKEN
    for res in (scrape(None), scrape("wrong"), Client().get("/metrics", HTTP_AUTHORIZATION=TOKEN)):
        assert res.status_code == 401 and res["WWW-Authenticate"].startswith("Bearer")
    assert Client().post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405


def test_the_figures_match_the_database(
    settings: Any, team: Any, hero: Any, teammate: Any, lead: Any
) -> None:
    settings.HERODESK_METRICS_TOKEN = TOKEN
    scenario.rotation(team, [hero, teammate], lead)
    scenario.history(team, hero)
    WorkerBeat.objects.create(
        worker_id="w-live", started_at=timezone.now(), last_seen=timezone.now()
    )
    WorkerBeat.objects.create(
        worker_id="w-dead",
        started_at=timezone.now() - timedelta(hours=2),
        last_seen=timezone.now() - timedelta(hours=1),
    )
    res = scrape()
    assert res.status_code == 200 and res["Content-Type"].startswith("text/plain")
    found = samples(res.content.decode())

    tickets = Ticket.objects.filter(team=team)
    for tier in {t.tier for t in tickets}:
        unresolved = tickets.filter(tier=tier, status__in=["new", "open", "pending"]).count()
        if unresolved:
            got = value(
                found, "herodesk_open_items", "herodesk_open_items", team="pipeline", tier=str(tier)
            )
            assert got == unresolved
        answered = [
            t.first_response_minutes
            for t in tickets.filter(tier=tier)
            if t.first_response_minutes is not None
        ]
        family = "herodesk_first_response_working_minutes"
        if not answered:
            continue
        labels = {"team": "pipeline", "tier": str(tier)}
        assert value(found, family, f"{family}_count", **labels) == len(answered)
        assert value(found, family, f"{family}_sum", **labels) == pytest.approx(sum(answered))
        for edge in FRT_BUCKETS:
            want = sum(m <= edge for m in answered)
            assert value(found, family, f"{family}_bucket", **labels, le=repr(edge)) == want
    for channel in {t.channel for t in tickets}:
        got = value(
            found,
            "herodesk_items_created",
            "herodesk_items_created_total",
            team="pipeline",
            channel=channel,
        )
        assert got == tickets.filter(channel=channel).count()
    pending = Delivery.objects.filter(status__in=["pending", "sending"])
    for transport in {d.transport for d in pending}:
        got = value(found, "herodesk_outbox_depth", "herodesk_outbox_depth", transport=transport)
        assert got == pending.filter(transport=transport).count()
    assert value(found, "herodesk_workers_alive", "herodesk_workers_alive") == 1
    dead = value(
        found,
        "herodesk_worker_last_seen_seconds",
        "herodesk_worker_last_seen_seconds",
        worker="w-dead",
    )
    assert 3500 < dead < 3700
    assert "herodesk_jobs_oldest_ready_age_seconds" in found


def test_a_scrape_is_a_fixed_number_of_queries(
    settings: Any, team: Any, hero: Any, django_assert_max_num_queries: Any
) -> None:
    settings.HERODESK_METRICS_TOKEN = TOKEN
    for i in range(30):
        scenario_ticket = Ticket.objects.create(
            team=team, subject=f"t{i}", created_at=timezone.now(), updated_at=timezone.now()
        )
        assert scenario_ticket.pk
    with django_assert_max_num_queries(10):
        assert scrape().status_code == 200
