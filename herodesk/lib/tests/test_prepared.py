"""Prepared lookups give the same objects as the ORM, in one query, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from herodesk.customers.models import Organization, Requester
from herodesk.lib.prepared import Prepared
from herodesk.teams.actions import token_issue
from herodesk.teams.models import ApiToken, Person, Team

pytestmark = pytest.mark.django_db


def test_matches_the_orm_with_select_related_and_converters():
    user = get_user_model().objects.create_user("ada", "ada@example.com", "x" * 12)
    Person.objects.create(user=user, time_zone="Europe/London")
    token, _ = token_issue(user)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=datetime(2026, 3, 29, 1, tzinfo=UTC))
    lookup = Prepared(
        ApiToken,
        lambda digest: ApiToken.objects.select_related("user__person").filter(digest=digest)[:1],
    )
    with CaptureQueriesContext(connection) as queries:
        row = lookup.first(token.digest)
        # Related objects came with the row: no more queries.
        assert row is not None
        assert row.user.username == "ada"
        assert row.user.person.time_zone == "Europe/London"
    assert len(queries) == 1
    expected = ApiToken.objects.get(pk=token.pk)
    # Converters ran: an aware datetime, like the ORM gives.
    assert row.last_used_at == expected.last_used_at
    assert row.last_used_at.tzinfo is not None
    assert row.created_at == expected.created_at
    assert row._state.adding is False and row._state.db == "default"
    assert lookup.first("no-such-digest") is None


def test_nullable_relation_and_many_rows():
    org = Organization.objects.create(name="Acme", domain="acme.example", plan="enterprise")
    Requester.objects.create(email="a@acme.example", name="A", organization=org)
    Requester.objects.create(email="b@acme.example", name="B")
    lookup = Prepared(
        Requester,
        lambda email: Requester.objects.select_related("organization").filter(email=email)[:1],
    )
    a = lookup.first("a@acme.example")
    b = lookup.first("b@acme.example")
    assert a is not None and a.organization is not None and a.organization.plan == "enterprise"
    assert b is not None and b.organization is None
    from_email = Prepared(
        Requester, lambda email: Requester.objects.filter(email__gte=email).order_by("email")
    )
    assert [r.name for r in from_email.all("a@")] == ["A", "B"]


def test_values_are_parameters_not_sql():
    Team.objects.create(slug="pipeline", name="Pipeline")
    lookup = Prepared(Team, lambda slug: Team.objects.filter(slug=slug)[:1])
    assert lookup.first("pipeline").name == "Pipeline"  # type: ignore[union-attr]
    assert lookup.first("x' OR '1'='1") is None


def test_a_shape_that_does_not_fit_fails_loudly():
    # The argument is never used by the query: refusing is better than ignoring it.
    lookup = Prepared(Team, lambda slug: Team.objects.all())
    with pytest.raises(ValueError, match="appears 0 times"):
        lookup.first("pipeline")
    # A lookup that rewrites the value ('%' + value + '%') cannot be prepared either.
    contains = Prepared(Team, lambda name: Team.objects.filter(name__contains=name))
    with pytest.raises(ValueError, match="appears 0 times"):
        contains.all("Pipe")


def test_insert_writes_what_save_would():
    from django.db import IntegrityError, transaction

    from herodesk.intake.models import Delivery
    from herodesk.lib.prepared import insert

    org = Organization.objects.create(name="Acme", domain="acme.example")
    made = insert(Requester(email="x@acme.example", name="X", organization=org))
    assert made.pk is not None and made._state.adding is False
    at = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    d = insert(Delivery(channel="github", key="k1", body=b"\x00\xff raw", received_at=at))
    saved = Delivery.objects.get(pk=d.pk)
    assert saved.headers == {} and saved.status == "accepted" and saved.attempts == 0
    assert bytes(saved.body) == b"\x00\xff raw" and saved.received_at == at
    assert Requester.objects.get(pk=made.pk).organization == org
    # A clash raises like save() and leaves the transaction usable after the savepoint.
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic():
            insert(Delivery(channel="github", key="k1", body=b"", received_at=at))
        assert Delivery.objects.filter(key="k1").count() == 1
    # A given primary key goes through save().
    team = insert(Team(pk=77, slug="given", name="Given"))
    assert Team.objects.get(pk=77).slug == "given" and team.pk == 77


def test_prepared_rows_match_values_list():
    from herodesk.lib.prepared import PreparedRows

    user = get_user_model().objects.create_user("ada", "ada@example.com", "x" * 12)
    Person.objects.create(user=user, time_zone="Europe/London")
    for name in ("b-token", "a-token"):
        token_issue(user, name=name)

    # endswith rewrites the value ('%' + value): it cannot be prepared.
    ends = PreparedRows(
        ApiToken, lambda name: ApiToken.objects.filter(name__endswith=name).values_list("id")
    )
    with pytest.raises(ValueError, match="appears 0 times"):
        ends.all("token")
    rows = PreparedRows(
        ApiToken,
        lambda name: (
            ApiToken.objects.filter(name__gte=name)
            .order_by("name")
            .values_list("name", "user__person__time_zone", "created_at", "revoked_at")[:10]
        ),
    )
    with CaptureQueriesContext(connection) as queries:
        got = rows.all("a")
    assert len(queries) == 1
    expected = list(
        ApiToken.objects.order_by("name").values_list(
            "name", "user__person__time_zone", "created_at", "revoked_at"
        )
    )
    assert got == expected and [r[0] for r in got] == ["a-token", "b-token"]
    assert got[0][2].tzinfo is not None and got[0][3] is None  # converters ran
    assert rows.all("z") == []
    with pytest.raises(ValueError, match="values_list"):
        PreparedRows(Team, lambda slug: Team.objects.filter(slug=slug)).all("x")
