"""Issue 16 §3: no 500 on any input, limits in the OpenAPI document, 409 on
conflicts, 401 (never a CSRF 403) on wrong or missing tokens.

Each test here is one of the exact requests the security pass sent.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db

MAX_ID = 2**63 - 1
WRITES = ("post", "put", "patch", "delete")


def new_ticket(api: Any, **extra: Any) -> Any:
    payload = {"subject": "Webhook retries", "body": "Retries pile up.", "team": "pipeline"}
    return api.post("tickets", {**payload, **extra})


def openapi(client: Client | None = None) -> dict[str, Any]:
    res = (client or Client()).get("/api/v1/openapi.json")
    assert res.status_code == 200
    return dict(res.json())


def write_operations() -> list[tuple[str, str]]:
    """Every write (method, concrete path) in the OpenAPI document."""
    found = []
    for path, item in openapi()["paths"].items():
        for method in item:
            if method in WRITES:
                concrete = path.replace("/api/v1", "", 1)
                for name in ("{slug}", "{username}"):
                    concrete = concrete.replace(name, "pipeline" if "slug" in name else "hera")
                while "{" in concrete:
                    start, end = concrete.index("{"), concrete.index("}")
                    concrete = concrete[:start] + "1" + concrete[end + 1 :]
                found.append((method, concrete))
    return found


def test_the_same_channel_and_external_ref_twice_is_409(api_as, hero, team):
    api = api_as(hero)
    first = new_ticket(api, channel="github", external_ref="acme/app#7")
    assert first.status_code == 201, first.content
    again = new_ticket(api, channel="github", external_ref="acme/app#7")
    assert again.status_code == 409, again.content
    body = again.json()
    assert str(first.json()["id"]) in body["detail"] and body["field"] == "external_ref"
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize("when", ["0550-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_an_admin_created_at_outside_sane_years_is_422(api_as, admin, team, when):
    res = new_ticket(api_as(admin), created_at=when)
    assert res.status_code == 422, res.content
    assert res.json()["field"] == "created_at"
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_an_id_beyond_64_bits_is_a_4xx_not_a_500(api_as, request, who):
    api = api_as(request.getfixturevalue(who))
    for path in ("overrides/99999999999999999999", "time-off/99999999999999999999"):
        res = api.delete(path)
        assert 400 <= res.status_code < 500, (path, res.status_code, res.content)
    for path in ("tickets/99999999999999999999", "routing-rules/99999999999999999999"):
        res = api.get(path)
        assert 400 <= res.status_code < 500, (path, res.status_code, res.content)


@pytest.mark.parametrize("token", ["wrong-token", None])
def test_writes_with_a_wrong_or_missing_token_are_401_not_a_csrf_403(hero, token):
    strict = Client(enforce_csrf_checks=True)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    operations = write_operations()
    assert len(operations) >= 23
    wrong = {}
    for method, path in operations:
        res = getattr(strict, method)(
            f"/api/v1{path}", data="{}", content_type="application/json", **headers
        )
        if res.status_code != 401:
            wrong[f"{method.upper()} {path}"] = (res.status_code, res.content[:80])
    assert wrong == {}


def test_a_session_without_csrf_token_is_still_refused_with_403(hero):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(hero)
    res = strict.post("/api/v1/tickets", data="{}", content_type="application/json")
    assert res.status_code == 403 and "CSRF" in res.json()["detail"]


@pytest.mark.parametrize("raw", ["[null, null]", '"x"', "null", "[]", "42"])
def test_assign_with_a_body_that_is_not_an_object_is_422(api_as, hero, teammate, team, raw):
    api = api_as(hero)
    tid = new_ticket(api, assignee="tim").json()["id"]
    res = api.post(f"tickets/{tid}/assign", raw=raw)
    assert res.status_code == 422, (raw, res.content)
    assert Ticket.objects.get(pk=tid).assignee == teammate


@pytest.mark.parametrize("tier", [True, False, "1", 1.5])
def test_a_tier_that_is_not_an_integer_is_422(api_as, hero, team, tier):
    api = api_as(hero)
    created = new_ticket(api).json()
    res = api.post(f"tickets/{created['id']}/tier", {"tier": tier})
    assert res.status_code == 422, (tier, res.content)
    assert res.json()["field"] == "tier"
    assert Ticket.objects.get(pk=created["id"]).tier == created["tier"]


def _parameter(doc: dict[str, Any], path: str, method: str, name: str) -> dict[str, Any]:
    for param in doc["paths"][path][method].get("parameters", []):
        if param["name"] == name:
            return dict(param["schema"])
    raise AssertionError(f"{method} {path} has no parameter {name}")


def _body(doc: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    content = doc["paths"][path][method]["requestBody"]["content"]
    ref = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    return dict(doc["components"]["schemas"][ref]["properties"])


def _typed(schema: dict[str, Any]) -> dict[str, Any]:
    """The non-null branch of an optional property."""
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") != "null":
            return dict(branch)
    return schema


def test_the_openapi_document_declares_the_limits_the_server_enforces():
    doc = openapi()
    for path, method, name in [
        ("/api/v1/tickets/{ticket_id}", "get", "ticket_id"),
        ("/api/v1/overrides/{override_id}", "delete", "override_id"),
        ("/api/v1/routing-rules/{pk}", "get", "pk"),
    ]:
        schema = _parameter(doc, path, method, name)
        assert schema.get("maximum") == MAX_ID and schema.get("minimum", 0) >= 0, (path, schema)
    limit = _parameter(doc, "/api/v1/tickets", "get", "limit")
    assert (limit.get("minimum"), limit.get("maximum")) == (1, 200)
    ticket = _body(doc, "/api/v1/tickets", "post")
    assert set(ticket["channel"].get("enum", [])) >= {"api", "email", "github"}
    assert "created_at" in ticket
    rule = _body(doc, "/api/v1/routing-rules", "post")
    position = _typed(rule["position"])
    assert (position.get("minimum"), position.get("maximum")) == (0, 100_000)
    assert _typed(ticket["created_at"])["pattern"].startswith("^(19")
    assert rule["keywords"].get("maxItems") == 50


def test_a_single_value_query_parameter_given_twice_is_422(api_as, admin):
    """`?username=a&username=b`: the document says one value; the last one is
    not silently taken (schemathesis found it on GET /tokens)."""
    res = api_as(admin).get("tokens?username=hera&username=admin")
    assert res.status_code == 422, res.content
    body = res.json()
    assert body["field"] == "username" and "once" in body["detail"], body


def test_a_filter_of_a_query_schema_given_twice_is_422_and_once_is_fine(api_as, admin):
    api = api_as(admin)
    assert api.get("tokens?username=admin").status_code == 200
    res = api.get("tickets?status=open&status=open")
    assert res.status_code == 422 and res.json()["field"] == "status", res.content


def test_the_community_api_refuses_a_repeated_page_too():
    res = Client().get("/community/api/questions?page=/docs/a&page=/docs/b")
    assert res.status_code == 422, res.content
    assert "page" in res.json()["detail"]
