"""Issue 16 §3: schemathesis against the OpenAPI document, in the suite.

A bounded run: a fixed seed, a few generated examples per operation plus the
schema's boundary cases, every check schemathesis has, once as an admin and
once as a member of a team. Both databases run it (scripts/test.sh). It must
find no 5xx, no response that breaks the document, no schema-invalid request
accepted and no schema-valid request refused other than by a business rule
(422 with a message; see CONFIG).

Figures (operations, requests, failures) are printed at the end of the module
with `-s`: `pytest herodesk/api/tests/test_schemathesis.py -p no:xdist -s`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from conftest import make_user

pytestmark = pytest.mark.django_db
SEED = 16
EXAMPLES = 2
FIGURES: Counter[str] = Counter()
OPERATIONS: set[str] = set()

CONFIG = {
    "seed": SEED,
    "generation": {"max-examples": EXAMPLES, "database": "none"},
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": False},
    },
    "checks": {
        "enabled": True,
        # A request the schema allows may still break a business rule the
        # schema cannot say (an unknown team, an end before its start): a 422
        # with a message is the right answer there, not a failure. Every other
        # rejection of valid data (400, 415, 5xx) still fails the run.
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]
        },
    },
}
# POST /email takes raw bytes (message/rfc822): send them as they are.
schemathesis.serializer.alias("message/rfc822", "application/octet-stream")


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Requests go through the WSGI app, not Django's test client: like the
    client, keep Django from closing the test's database connection (and its
    open transaction) at the end of each request (CONN_MAX_AGE on PostgreSQL)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def desk(team: Any, other_team: Any, lead: Any, hero: Any, admin: Any) -> dict[str, Any]:
    """A small desk for generated requests to land on: two teams, a ticket, people."""
    from herodesk.teams.actions import token_issue
    from herodesk.tickets import actions

    make_user("otto", team=other_team)
    actions.ticket_create(subject="Seed", body="A ticket to find.", actor="test", team=team)
    return {
        "admin": token_issue(admin)[1],
        "member": token_issue(hero)[1],
    }


@pytest.fixture(scope="module", autouse=True)
def figures() -> Iterator[None]:
    yield
    if FIGURES:
        print(
            f"\nschemathesis: {len(OPERATIONS)} operations, "
            f"{FIGURES['requests']} requests, {FIGURES['failures']} failures, "
            f"statuses {sorted((k, v) for k, v in FIGURES.items() if k.isdigit())}"
        )


def load_schema() -> Any:
    """The document as the app serves it (building it touches no database)."""
    from herodesk.wsgi import application

    config = SchemathesisConfig.from_dict(CONFIG)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)


schema = load_schema()


def run(case: Any, token: str) -> None:
    OPERATIONS.add(case.operation.label)
    FIGURES["requests"] += 1
    try:
        response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
    except Exception:
        FIGURES["failures"] += 1
        raise
    FIGURES[str(response.status_code)] += 1


# The desk's rows live for one operation's examples (one test, one transaction).
BOUNDED = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.parametrize()
@BOUNDED
def test_api_as_admin(case: Any, desk: dict[str, Any]) -> None:
    run(case, desk["admin"])


@schema.parametrize()
@BOUNDED
def test_api_as_member(case: Any, desk: dict[str, Any]) -> None:
    run(case, desk["member"])
