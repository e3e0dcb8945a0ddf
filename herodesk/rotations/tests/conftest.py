"""Helpers for rotation tests: instants, a rotation set through the API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from conftest import make_user


def utc(text: str) -> datetime:
    """'2025-03-31 08:00' → an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def z(text: str) -> str:
    """'2025-03-31 08:00' → '2025-03-31T08:00:00+00:00' (how the API writes UTC)."""
    return utc(text).isoformat()


@pytest.fixture
def crew(team: Any, lead: Any, hero: Any, teammate: Any) -> list[str]:
    """Pipeline's three members: hera and lena in London, tim in New York."""
    return ["hera", "tim", "lena"]


@pytest.fixture
def ny_crew(other_team: Any, other_hero: Any) -> list[str]:
    """Monitoring (New York): otto and nina."""
    make_user("nina", team=other_team, tz="America/New_York")
    make_user("mo", team=other_team, role="lead", tz="America/New_York")
    return ["otto", "nina"]


@pytest.fixture
def set_rotation(api_as: Any, admin: Any) -> Any:
    def put(slug: str, members: list[str], start: str, **extra: Any) -> dict[str, Any]:
        res = api_as(admin).put(
            f"teams/{slug}/rotation", {"members": members, "start": start, **extra}
        )
        assert res.status_code == 200, res.content
        return dict(res.json())

    return put
