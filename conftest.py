"""Shared test personas (an admin, a lead, a hero, a teammate, a hero of
another team, an outsider) and an API client that speaks bearer tokens."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from herodesk.customers.models import Requester
    from herodesk.teams.models import Team

# Models are imported inside fixtures so that the pure-domain tests also run
# without Django (`pytest -p no:django herodesk/domain`).


class Api:
    """A JSON client for /api/v1/ as one user (or anonymous with token=None)."""

    def __init__(self, token: str | None) -> None:
        from django.test import Client

        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def _call(
        self, method: str, path: str, data: Any = None, raw: str | None = None, **extra: Any
    ) -> Any:
        url = path if path.startswith("/") else f"/api/v1/{path}"
        body = raw if raw is not None else (json.dumps(data) if data is not None else None)
        kwargs: dict[str, Any] = {**self.headers, **extra}
        if body is not None:
            kwargs["data"] = body
            kwargs["content_type"] = kwargs.pop("content_type", "application/json")
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path: str, **extra: Any) -> Any:
        return self._call("get", path, **extra)

    def post(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self._call("post", path, data, **extra)

    def patch(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self._call("patch", path, data, **extra)

    def put(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self._call("put", path, data, **extra)

    def delete(self, path: str, **extra: Any) -> Any:
        return self._call("delete", path, **extra)


def make_user(
    username: str,
    *,
    team: Team | None = None,
    role: str = "member",
    superuser: bool = False,
    person: bool = True,
    tz: str = "Europe/London",
) -> Any:
    from django.contrib.auth import get_user_model

    from herodesk.teams.models import Membership, Person

    user = get_user_model().objects.create_user(
        username=username,
        password="pw-" + username,
        email=f"{username}@example.com",
        first_name=username.capitalize(),
        is_superuser=superuser,
        is_staff=superuser,
    )
    if person:
        p = Person.objects.create(user=user, time_zone=tz, holiday_country="GB")
        if team is not None:
            Membership.objects.create(team=team, person=p, role=role)
    return user


@pytest.fixture
def team(db: Any) -> Team:
    from herodesk.teams.models import Team

    return Team.objects.create(
        slug="pipeline",
        name="Pipeline",
        time_zone="Europe/London",
        holiday_country="GB",
        holiday_subdiv="ENG",
    )


@pytest.fixture
def other_team(db: Any) -> Team:
    from herodesk.teams.models import Team

    return Team.objects.create(
        slug="monitoring", name="Monitoring", time_zone="America/New_York", holiday_country="US"
    )


@pytest.fixture
def admin(db: Any) -> Any:
    return make_user("admin", superuser=True)


@pytest.fixture
def lead(team: Team) -> Any:
    return make_user("lena", team=team, role="lead")


@pytest.fixture
def hero(team: Team) -> Any:
    return make_user("hera", team=team)


@pytest.fixture
def teammate(team: Team) -> Any:
    return make_user("tim", team=team, tz="America/New_York")


@pytest.fixture
def other_hero(other_team: Team) -> Any:
    return make_user("otto", team=other_team, tz="America/New_York")


@pytest.fixture
def outsider(db: Any) -> Any:
    return make_user("olga", person=False)


@pytest.fixture
def api_as() -> Any:
    import secrets

    from herodesk.teams.models import ApiToken, hash_token

    def issue(user: Any) -> str:
        # Written directly, not through teams.actions.token_issue: tests that
        # check "nothing was written" count audit events, and a fixture's
        # token is not part of the scenario.
        raw = "hd_" + secrets.token_urlsafe(32)
        ApiToken.objects.create(user=user, digest=hash_token(raw), prefix=raw[:10])
        return raw

    def make(user: Any) -> Api:
        return Api(issue(user) if user is not None else None)

    return make


@pytest.fixture
def paying_requester(db: Any) -> Requester:
    from herodesk.customers.models import Organization, Requester

    org = Organization.objects.create(name="Acme", plan="teams", domain="acme.example")
    return Requester.objects.create(email="ana@acme.example", name="Ana Lima", organization=org)


@pytest.fixture
def big_requester(db: Any) -> Requester:
    from herodesk.customers.models import Organization, Requester

    org = Organization.objects.create(name="Globex", plan="enterprise", domain="globex.example")
    return Requester.objects.create(email="gus@globex.example", name="Gus Grant", organization=org)


@pytest.fixture
def free_requester(db: Any) -> Requester:
    from herodesk.customers.models import Organization, Requester

    org = Organization.objects.create(name="Tiny", plan="free", domain="tiny.example")
    return Requester.objects.create(email="fay@tiny.example", name="Fay Free", organization=org)
