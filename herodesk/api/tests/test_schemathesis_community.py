"""schemathesis against the community API's OpenAPI document (/community/api/),
bounded like the staff API's run (test_schemathesis.py: same seed, examples,
checks and expected statuses), once with a community member's token and once
with a staff member's (who writes as Team and moderates). The rate limits are
raised for the run: generated sign-ups and questions would otherwise meet the
429 that test_api.py checks on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from herodesk.api.tests.test_schemathesis import (  # noqa: F401 (fixtures)
    BOUNDED,
    CONFIG,
    FIGURES,
    OPERATIONS,
    keep_the_test_connection,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(hero: Any, settings: Any) -> Iterator[dict[str, Any]]:
    """A question to find, a member and a staff token; rate limits out of the way."""
    from django.core.cache import cache

    from herodesk.community import actions
    from herodesk.community.authors import Author
    from herodesk.community.tests.conftest import make_account
    from herodesk.teams.actions import token_issue

    for action in ("ASK", "ANSWER", "SIGNUP", "LOGIN"):
        setattr(settings, f"HERODESK_COMMUNITY_RATE_{action}", "100000/h")
    cache.clear()
    member = make_account("mia@example.org")
    actions.question_ask(Author(account=member), page="/docs/x", title="How?", body="Tell me.")
    yield {"member": actions.account_token_create(member), "staff": token_issue(hero)[1]}
    cache.clear()


def load_schema() -> Any:
    from herodesk.wsgi import application

    config = SchemathesisConfig.from_dict(CONFIG)
    return schemathesis.openapi.from_wsgi("/community/api/openapi.json", application, config=config)


schema = load_schema()


def run(case: Any, token: str) -> None:
    OPERATIONS.add(f"community {case.operation.label}")
    FIGURES["requests"] += 1
    try:
        response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
    except Exception:
        FIGURES["failures"] += 1
        raise
    FIGURES[str(response.status_code)] += 1


@schema.parametrize()
@BOUNDED
def test_community_api_as_member(case: Any, site: dict[str, Any]) -> None:
    run(case, site["member"])


@schema.parametrize()
@BOUNDED
def test_community_api_as_staff(case: Any, site: dict[str, Any]) -> None:
    run(case, site["staff"])
