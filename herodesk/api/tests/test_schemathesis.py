"""Issue 16 §3: schemathesis against the OpenAPI document, in the suite.

A bounded run: a fixed seed, a few generated examples per operation plus the
schema's boundary cases, every check schemathesis has, once as an admin and
once as a member of a team. Both databases run it (scripts/test.sh). It must
find no 5xx and no response that breaks the document.

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
EXAMPLES = 4
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
    "checks": {"enabled": True},
}


@pytest.fixture
def desk(team: Any, other_team: Any, lead: Any, hero: Any, admin: Any) -> dict[str, Any]:
    """A small desk for generated requests to land on: two teams, a ticket, people."""
    from herodesk.teams.models import ApiToken
    from herodesk.tickets import actions

    make_user("otto", team=other_team)
    actions.ticket_create(subject="Seed", body="A ticket to find.", actor="test", team=team)
    return {
        "admin": ApiToken.issue(admin)[1],
        "member": ApiToken.issue(hero)[1],
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
