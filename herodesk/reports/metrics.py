"""Prometheus metrics read from the database at scrape time (SPEC §10).

A custom `prometheus_client` collector: every figure comes from the shared
database when Prometheus scrapes, so any number of web processes answer the
same and nothing is kept in process memory. Each family is one aggregate
query; a scrape is nine statements whatever the number of tickets. The ticket
families read small partial indexes in their GROUP BY order (no sort, no table
rows): `ticket_unresolved` for open and past-due items, `ticket_frt_histogram`
(the first-response histogram adds up the stored value buckets, whose edges
include the histogram's), `ticket_team_channel` for arrivals.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, Sum
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from herodesk.domain import reports as d
from herodesk.notify.models import Delivery, DeliveryStatus, WorkerBeat
from herodesk.teams.models import Team
from herodesk.tickets.models import UNRESOLVED_STATUSES, Ticket

# First-response buckets in working minutes: the seed's great (15), okay (60)
# and too-late (480 = one working day) edges among them.
FRT_BUCKETS = d.HISTOGRAM_EDGES
_EDGE_BUCKETS = [d.EDGES.index(edge) for edge in FRT_BUCKETS]
UNROUTED = "unrouted"


class DatabaseCollector(Collector):
    """Open items, breaches, response times, volume, outbox, jobs and workers."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        teams = dict(Team.objects.values_list("pk", "slug"))
        yield from _tickets(teams, now)
        yield _first_responses(teams)
        yield _created(teams)
        yield from _outbox(now)
        yield from _jobs(now)
        yield from _workers(now)


def _team(teams: dict[int, str], pk: int | None) -> str:
    return teams.get(pk, UNROUTED) if pk is not None else UNROUTED


def _tickets(teams: dict[int, str], now: datetime) -> Iterator[Metric]:
    open_items = GaugeMetricFamily(
        "herodesk_open_items", "Unresolved items (new, open, pending).", labels=["team", "tier"]
    )
    rows = (
        Ticket.objects.filter(status__in=UNRESOLVED_STATUSES)
        .values("team_id", "tier")
        .annotate(n=Count("*"))
        .order_by()
    )
    for r in rows:
        open_items.add_metric([_team(teams, r["team_id"]), str(r["tier"])], r["n"])
    yield open_items
    past_due = GaugeMetricFamily(
        "herodesk_items_past_due",
        "Items whose running response clock is past its due time (okay target), not paused.",
        labels=["team", "tier"],
    )
    # A running clock's due time is its sort_due (no clock: far in the future).
    rows = (
        Ticket.objects.filter(
            status__in=UNRESOLVED_STATUSES,
            is_active=True,
            sort_due__lte=now,
            sla_paused_at__isnull=True,
        )
        .values("team_id", "tier")
        .annotate(n=Count("*"))
        .order_by()
    )
    for r in rows:
        past_due.add_metric([_team(teams, r["team_id"]), str(r["tier"])], r["n"])
    yield past_due


def _first_responses(teams: dict[int, str]) -> Metric:
    family = HistogramMetricFamily(
        "herodesk_first_response_working_minutes",
        "First-response times in the team's working minutes (pauses excluded).",
        labels=["team", "tier"],
    )
    rows = (
        Ticket.objects.filter(first_response_bucket__isnull=False, merged_into__isnull=True)
        .values("team_id", "tier", "first_response_bucket")
        .annotate(n=Count("*"), total=Sum("first_response_minutes"))
        .order_by()
    )
    groups: dict[tuple[str, str], tuple[list[int], float]] = {}
    for r in rows:
        key = (_team(teams, r["team_id"]), str(r["tier"]))
        counts, total = groups.setdefault(key, ([0] * (d.LAST_BUCKET + 1), 0.0))
        counts[r["first_response_bucket"] or 0] += r["n"]  # filtered: never None
        groups[key] = (counts, total + float(r["total"] or 0.0))
    for key, (counts, total) in groups.items():
        cumulative = list(accumulate(counts))
        family.add_metric(
            list(key),
            [
                *(
                    (_edge(e), cumulative[j])
                    for e, j in zip(FRT_BUCKETS, _EDGE_BUCKETS, strict=True)
                ),
                ("+Inf", cumulative[-1]),
            ],
            total,
        )
    return family


def _edge(value: float) -> str:
    return repr(value)


def _created(teams: dict[int, str]) -> Metric:
    family = CounterMetricFamily(
        "herodesk_items_created", "Items created, by channel.", labels=["team", "channel"]
    )
    rows = (
        Ticket.objects.filter(merged_into__isnull=True)
        .values("team_id", "channel")
        .annotate(n=Count("*"))
        .order_by()
    )
    for r in rows:
        family.add_metric([_team(teams, r["team_id"]), r["channel"]], r["n"])
    return family


def _outbox(now: datetime) -> Iterator[Metric]:
    depth = GaugeMetricFamily(
        "herodesk_outbox_depth", "Messages waiting to be sent.", labels=["transport"]
    )
    oldest = GaugeMetricFamily(
        "herodesk_outbox_oldest_age_seconds",
        "Age of the oldest message waiting to be sent.",
        labels=["transport"],
    )
    failed = GaugeMetricFamily(
        "herodesk_delivery_failures",
        "Messages that failed for good (retries used up).",
        labels=["transport"],
    )
    rows = (
        Delivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.FAILED]
        )
        .values("transport", "status")
        .annotate(n=Count("id"), first=Min("created_at"))
        .order_by()
    )
    waiting: dict[str, tuple[int, datetime | None]] = {}
    for r in rows:
        if r["status"] == DeliveryStatus.FAILED:
            failed.add_metric([r["transport"]], r["n"])
            continue
        n, first = waiting.get(r["transport"], (0, None))
        waiting[r["transport"]] = (n + r["n"], min(filter(None, (first, r["first"])), default=None))
    for transport, (n, first) in sorted(waiting.items()):
        depth.add_metric([transport], n)
        oldest.add_metric([transport], _age(now, first))
    yield depth
    yield oldest
    yield failed


def _jobs(now: datetime) -> Iterator[Metric]:
    depth = GaugeMetricFamily("herodesk_jobs", "Background jobs by status.", labels=["status"])
    rows = DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by()
    for r in rows:
        depth.add_metric([str(r["status"])], r["n"])
    yield depth
    first = DBTaskResult.objects.filter(status="READY").aggregate(first=Min("enqueued_at"))
    yield GaugeMetricFamily(
        "herodesk_jobs_oldest_ready_age_seconds",
        "Age of the oldest job waiting for a worker (0 when none waits).",
        value=_age(now, first["first"]),
    )


def _workers(now: datetime) -> Iterator[Metric]:
    stale = settings.HERODESK_WORKER_STALE_SECONDS
    beats = GaugeMetricFamily(
        "herodesk_worker_last_seen_seconds",
        "Seconds since each known worker's last heartbeat.",
        labels=["worker"],
    )
    alive = 0
    for worker_id, last_seen in WorkerBeat.objects.values_list("worker_id", "last_seen")[:100]:
        age = _age(now, last_seen)
        beats.add_metric([worker_id], age)
        alive += age <= stale
    yield beats
    yield GaugeMetricFamily(
        "herodesk_workers_alive",
        f"Workers with a heartbeat in the last {stale} seconds.",
        value=alive,
    )


def _age(now: datetime, then: Any) -> float:
    return max((now - then).total_seconds(), 0.0) if then else 0.0
