"""The community API under /community/api/: the contract's names, who may do what,
spam refusals that store nothing."""

from __future__ import annotations

from typing import Any

import pytest

from herodesk.audit.models import Event
from herodesk.community.models import Account, Answer, Question
from herodesk.community.tests.conftest import ask, body, outbox

pytestmark = pytest.mark.django_db


def test_signup_then_token_then_ask_on_a_page(capi: Any, topic: Any) -> None:
    anon = capi(None)
    r = anon.post(
        "accounts", {"email": "Ana@Example.org", "name": "Ana", "password": "s3cret-pass"}
    )
    assert r.status_code == 201, r.content
    assert body(r)["email"] == "ana@example.org" and body(r)["verified"] is False
    assert [d.recipient for d in outbox("community_verify")] == ["ana@example.org"]
    r = anon.post("tokens", {"email": "ana@example.org", "password": "s3cret-pass"})
    assert r.status_code == 201
    token = body(r)["token"]
    assert token.startswith("hc_")
    asker = capi(token=token)
    r = asker.post(
        "questions",
        {"page": "/docs/data-pipelines/s3", "title": "S3 export stuck", "body": "Since Monday."},
    )
    assert r.status_code == 201, r.content
    data = body(r)
    assert data["topic"] == "pipelines"  # found from the page
    assert data["held"] == "unverified"  # public once the email is confirmed
    assert data["url"].endswith(f"/community/q/{data['id']}/")
    # Not public yet: the page's list does not show it.
    assert body(anon.get("questions?page=/docs/data-pipelines/s3")) == []


def test_page_list_has_the_contract_fields(capi: Any, member: Any) -> None:
    q = ask(member, page="/docs/feature-flags")
    ask(member, page="/docs/other")
    r = capi(None).get("questions?page=/docs/feature-flags")
    assert r.status_code == 200
    assert body(r) == [
        {
            "id": q.pk,
            "page": "/docs/feature-flags",
            "topic": None,
            "title": q.title,
            "state": "open",
            "answers": 0,
            "url": f"http://127.0.0.1:8000/community/q/{q.pk}/",
        }
    ]
    # A full URL or a trailing slash names the same page.
    assert len(body(capi(None).get("questions?page=https://docs.example/docs/feature-flags/"))) == 1
    assert capi(None).get("questions?page=not a path").status_code == 422


def test_answers_resolve_and_accept(capi: Any, member: Any, newcomer: Any) -> None:
    q = ask(member)
    helper = capi(newcomer)
    r = helper.post(f"questions/{q.pk}/answers", {"body": "Use the `rollout` field."})
    assert r.status_code == 201, r.content
    answer_id = body(r)["id"]
    detail = body(capi(None).get(f"questions/{q.pk}"))
    assert (
        detail["answer_count"] == 1 and detail["answers"][0]["body"] == "Use the `rollout` field."
    )
    assert "<code>rollout</code>" in detail["answers"][0]["body_html"]
    # Only the asker or a moderator resolves.
    assert helper.post(f"questions/{q.pk}/resolve", {"answer": answer_id}).status_code == 403
    r = capi(member).post(f"questions/{q.pk}/resolve", {"answer": answer_id})
    assert r.status_code == 200, r.content
    assert body(r)["state"] == "resolved" and body(r)["accepted_answer"] == answer_id
    assert Event.objects.filter(action="community.question.state", object_id=str(q.pk)).exists()


def test_moderation_endpoints_need_a_moderator(capi: Any, member: Any, community_mod: Any) -> None:
    q = ask(member)
    assert capi(member).post(f"questions/{q.pk}/lock").status_code == 403
    assert capi(member).post(f"questions/{q.pk}/hide").status_code == 403
    mod = capi(community_mod)
    assert body(mod.post(f"questions/{q.pk}/lock"))["state"] == "locked"
    r = capi(member).post(f"questions/{q.pk}/answers", {"body": "me again"})
    assert r.status_code == 409 and "locked" in body(r)["detail"]
    r = mod.patch(f"questions/{q.pk}", {"title": "Rolling out a flag to 10%"})
    assert r.status_code == 200 and body(r)["title"] == "Rolling out a flag to 10%"
    assert body(mod.post(f"questions/{q.pk}/hide"))["state"] == "hidden"
    assert capi(None).get(f"questions/{q.pk}").status_code == 404
    assert capi(member).get(f"questions/{q.pk}").status_code == 404  # hidden from the asker too
    actions = set(Event.objects.filter(object_id=str(q.pk)).values_list("action", flat=True))
    assert {"community.question.state", "community.question.edited"} <= actions
    labels = set(Event.objects.filter(object_id=str(q.pk)).values_list("actor_label", flat=True))
    assert "community:moe@example.org" in labels


def test_staff_token_answers_as_team(capi: Any, api_as: Any, member: Any, hero: Any) -> None:
    q = ask(member)
    staff = api_as(hero)
    r = staff.post(f"/community/api/questions/{q.pk}/answers", {"body": "Hi Mia, use rollout."})
    assert r.status_code == 201, r.content
    assert body(r)["team"] is True and body(r)["author"] == "Hera"
    answer = Answer.objects.get()
    assert answer.user == hero and answer.account is None
    # Staff moderate too.
    assert staff.post(f"/community/api/questions/{q.pk}/lock").status_code == 200


def test_community_token_never_opens_the_staff_api(capi: Any, member: Any, client: Any) -> None:
    from herodesk.community import actions

    token = actions.account_token_create(member)
    for path in ("/api/v1/me", "/api/v1/tickets", "/api/v1/queue?team=pipeline"):
        r = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert r.status_code == 401, path
    r = client.get("/admin/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]


def test_bad_tokens_and_anonymous_writes_are_401(capi: Any, member: Any) -> None:
    q = ask(member)
    assert (
        capi(None).post("questions", {"page": "/docs/x", "title": "t", "body": "b"}).status_code
        == 401
    )
    r = capi(token="hc_not-a-token").post(f"questions/{q.pk}/answers", {"body": "hi"})
    assert r.status_code == 401 and "token" in body(r)["detail"]
    r = capi(None).post("tokens", {"email": member.email, "password": "wrong"})
    assert r.status_code == 401 and body(r)["detail"] == "wrong email or password"


def test_honeypot_refuses_and_stores_nothing(capi: Any, member: Any) -> None:
    r = capi(member).post(
        "questions",
        {"page": "/docs/x", "title": "Buy now", "body": "cheap", "website": "http://spam.example"},
    )
    assert r.status_code == 422 and body(r)["field"] == "website"
    assert "website" in body(r)["detail"]
    r = capi(None).post(
        "accounts",
        {"email": "bot@example.org", "name": "Bot", "password": "x" * 12, "website": "x"},
    )
    assert r.status_code == 422
    assert not Question.objects.exists() and not Account.objects.filter(email="bot@example.org")


def test_rate_limit_per_account_is_429_and_stores_nothing(
    capi: Any, member: Any, settings: Any
) -> None:
    settings.HERODESK_COMMUNITY_RATE_ASK = "2/h"
    client = capi(member)
    for i in range(2):
        r = client.post("questions", {"page": "/docs/x", "title": f"Q{i}", "body": "b"})
        assert r.status_code == 201
    r = client.post("questions", {"page": "/docs/x", "title": "Q3", "body": "b"})
    assert r.status_code == 429
    assert body(r)["detail"].startswith("too many questions: at most 2 per hour; try again in")
    assert int(r["Retry-After"]) > 0
    assert Question.objects.count() == 2


def test_rate_limit_per_ip_counts_every_account(
    capi: Any, member: Any, newcomer: Any, settings: Any
) -> None:
    settings.HERODESK_COMMUNITY_RATE_SIGNUP = "1/h"
    settings.HERODESK_COMMUNITY_RATE_IP_FACTOR = 2
    anon = capi(None)
    for i in range(2):
        r = anon.post(
            "accounts", {"email": f"p{i}@example.org", "name": "P", "password": "pass-word-1"}
        )
        assert r.status_code == 201
    r = anon.post("accounts", {"email": "p3@example.org", "name": "P", "password": "pass-word-1"})
    assert r.status_code == 429 and "sign-ups from here" in body(r)["detail"]
    assert not Account.objects.filter(email="p3@example.org").exists()


def test_per_ip_limits_count_the_client_behind_the_proxy_not_the_proxy(
    client: Any, settings: Any
) -> None:
    """Several web hosts behind a load balancer: every request comes from the proxy's
    address, so the limit counts X-Forwarded-For's client (HERODESK_PROXY_COUNT)."""
    settings.HERODESK_COMMUNITY_RATE_SIGNUP = "1/h"
    settings.HERODESK_COMMUNITY_RATE_IP_FACTOR = 1
    settings.HERODESK_PROXY_COUNT = 1

    def sign_up(n: int, forwarded: str, remote: str = "10.0.0.5") -> int:
        data = {"email": f"p{n}@example.org", "name": "P", "password": "pass-word-1"}
        return client.post(
            "/community/api/accounts", data, content_type="application/json",
            REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code  # fmt: skip

    assert sign_up(1, "203.0.113.7") == 201
    assert sign_up(2, "198.51.100.2") == 201  # another client through the same proxy
    assert sign_up(3, "203.0.113.7") == 429
    # A forged left-most entry does not escape: the proxy's own entry is the right-most.
    assert sign_up(4, "1.2.3.4, 203.0.113.7") == 429
    # IPv6: one /64 is one client; no address at all still answers (shared count), no 500.
    assert sign_up(5, "2001:db8:1:2::1") == 201
    assert sign_up(6, "2001:db8:1:2::99") == 429
    settings.HERODESK_PROXY_COUNT = 0
    r = client.post(
        "/community/api/tokens", {"email": "x@example.org", "password": "x"},
        content_type="application/json", REMOTE_ADDR="",
    )  # fmt: skip
    assert r.status_code == 401


def test_body_size_limit(capi: Any, member: Any, settings: Any) -> None:
    settings.HERODESK_COMMUNITY_MAX_BODY = 100
    r = capi(member).post("questions", {"page": "/docs/x", "title": "Long", "body": "x" * 101})
    assert r.status_code == 422 and body(r)["field"] == "body"
    assert "at most 100 characters" in body(r)["detail"]
    assert not Question.objects.exists()


def test_new_accounts_first_post_with_links_is_held(
    capi: Any, newcomer: Any, community_mod: Any
) -> None:
    r = capi(newcomer).post(
        "questions", {"page": "/docs/x", "title": "See this", "body": "https://spam.example"}
    )
    assert r.status_code == 201 and body(r)["held"] == "links"
    q = Question.objects.get()
    assert q.is_public is False
    assert capi(None).get(f"questions/{q.pk}").status_code == 404
    assert capi(newcomer).get(f"questions/{q.pk}").status_code == 200  # the asker sees it
    from herodesk.community import actions
    from herodesk.community.authors import Author

    actions.question_approve(q, Author(account=community_mod))
    assert capi(None).get(f"questions/{q.pk}").status_code == 200
    # Trusted now: the next post with links goes public at once.
    r = capi(newcomer).post(
        "questions", {"page": "/docs/x", "title": "Again", "body": "https://docs.example"}
    )
    assert body(r)["held"] == ""


def test_cors_only_for_listed_origins_and_only_on_the_community_api(
    client: Any, member: Any, settings: Any
) -> None:
    settings.CORS_ALLOWED_ORIGINS = ["https://docs.example.com"]
    url = "/community/api/questions?page=/docs/x"
    ok = client.get(url, HTTP_ORIGIN="https://docs.example.com")
    assert ok["Access-Control-Allow-Origin"] == "https://docs.example.com"
    assert "Access-Control-Allow-Credentials" not in ok
    preflight = client.options(
        "/community/api/questions",
        HTTP_ORIGIN="https://docs.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert preflight.status_code == 200
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    other = client.get(url, HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    staff = client.get("/api/v1/me", HTTP_ORIGIN="https://docs.example.com")
    assert "Access-Control-Allow-Origin" not in staff


def _titles(capi: Any, page: str = "/docs/feature-flags") -> list[tuple[str, str, int, Any]]:
    rows = body(capi(None).get(f"questions?page={page}"))
    return [(r["title"], r["state"], r["answers"], r["topic"]) for r in rows]


def test_the_embed_list_is_cached_per_page_and_dropped_on_every_change(
    capi: Any, member: Any, community_mod: Any, topic: Any, django_assert_num_queries: Any
) -> None:
    """A repeated list costs no query; every way a list can change shows at once."""
    from herodesk.community import actions
    from herodesk.community.authors import Author

    q = ask(member)
    assert _titles(capi) == [(q.title, "open", 0, None)]
    with django_assert_num_queries(0):  # a hit: the cache only (no token, no session)
        assert _titles(capi) == [(q.title, "open", 0, None)]
    mod = Author(account=community_mod)
    other = ask(member, page="/docs/other", title="Elsewhere")
    assert _titles(capi, "/docs/other") == [("Elsewhere", "open", 0, None)]
    with django_assert_num_queries(0):  # another page's change left this one cached
        assert _titles(capi) == [(q.title, "open", 0, None)]
    answer = actions.answer_post(q, mod, body="Use the rollout field.")
    assert _titles(capi) == [(q.title, "open", 1, None)]
    actions.question_edit(q, mod, title="Rolling out a flag", topic="pipelines")
    assert _titles(capi) == [("Rolling out a flag", "open", 1, "pipelines")]
    topic.slug = "data-pipelines"  # a topic change reaches every page's list
    topic.save()
    assert _titles(capi) == [("Rolling out a flag", "open", 1, "data-pipelines")]
    actions.question_set_state(q, mod, "resolved", answer=answer)
    assert _titles(capi) == [("Rolling out a flag", "resolved", 1, "data-pipelines")]
    actions.answer_set_hidden(answer, mod, True)
    assert _titles(capi) == [("Rolling out a flag", "resolved", 0, "data-pipelines")]
    actions.question_set_state(q, mod, "hidden")
    assert _titles(capi) == []
    assert _titles(capi, "/docs/other") == [("Elsewhere", "open", 0, None)]
    Question.objects.get(pk=other.pk).delete()
    assert _titles(capi, "/docs/other") == []


def test_a_list_read_before_a_change_is_never_served_after_it(member: Any) -> None:
    """The race: a reader queries, a writer commits, then the reader stores the old
    list. The entry carries the version read before the query, so it is not believed."""
    from herodesk.community import page_cache

    page = "/docs/race"
    payload, tag = page_cache.lookup(page)
    assert payload is None
    page_cache.page_changed(page)  # the writer, between the reader's query and its store
    page_cache.store(page, tag, b"[old]")
    assert page_cache.lookup(page)[0] is None
    _payload, tag = page_cache.lookup(page)
    page_cache.store(page, tag, b"[new]")
    assert page_cache.lookup(page)[0] == b"[new]"
    page_cache.topics_changed()
    assert page_cache.lookup(page)[0] is None
