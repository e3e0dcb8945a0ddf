"""GET /metrics: the Prometheus text format, for a bearer token.

Off (404) unless HERODESK_METRICS_TOKEN is set; then a scrape must send
`Authorization: Bearer <token>` (compared in constant time). The figures come
from `herodesk.reports.metrics.DatabaseCollector`, read from the database at
each scrape (docs/reports.md has a scrape config and alert rules).
"""

from __future__ import annotations

import hmac
from functools import cache
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@cache
def registry() -> Any:
    """The collector registry, built at the first scrape."""
    # lazy: prometheus_client loads with the first scrape, not at every start-up.
    from prometheus_client import CollectorRegistry

    # lazy: as above (the collector subclasses prometheus_client's).
    from herodesk.reports.metrics import DatabaseCollector

    built = CollectorRegistry(auto_describe=False)
    built.register(DatabaseCollector())
    return built


def _authorized(request: HttpRequest, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.HERODESK_METRICS_TOKEN
    if not token:
        raise Http404("metrics are off: set HERODESK_METRICS_TOKEN to turn them on")
    if not _authorized(request, token):
        response = HttpResponse("a valid bearer token is required\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    # lazy: see registry().
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
