"""Several hosts share the rate limits and the embed's list cache through Redis
(HERODESK_CACHE_URL=redis://…): against the local Redis at 127.0.0.1:6379,
skipped with the reason when none answers (CI starts one: .ci/run)."""

from __future__ import annotations

import socket
import uuid
from typing import Any

import pytest

from herodesk.community.tests.conftest import ask, body

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/14"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


needs_redis = pytest.mark.skipif(
    not _redis_answers(), reason="no Redis at 127.0.0.1:6379 (start redis-server; .ci/run does)"
)


def test_herodesk_cache_url_picks_the_backend(monkeypatch: Any) -> None:
    from herodesk import settings as herodesk_settings

    monkeypatch.setenv("HERODESK_CACHE_URL", "redis://cache.internal:6379/2")
    assert herodesk_settings._cache() == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
    }
    monkeypatch.setenv("HERODESK_CACHE_URL", "file:///srv/herodesk/cache")
    assert herodesk_settings._cache()["LOCATION"] == "/srv/herodesk/cache"
    monkeypatch.setenv("HERODESK_CACHE_URL", "memcached://x")
    with pytest.raises(Exception, match="HERODESK_CACHE_URL must be"):
        herodesk_settings._cache()


@pytest.fixture
def shared_redis(settings: Any) -> Any:
    """Two "hosts": two cache clients on the same Redis, under a prefix of this test's own."""
    from django.core.cache import caches

    prefix = f"herodesk-test-{uuid.uuid4().hex}"
    config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS,
              "KEY_PREFIX": prefix}  # fmt: skip
    settings.CACHES = {"default": config, "other_host": dict(config)}
    yield caches
    client = caches["default"]._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@needs_redis
def test_rate_limits_count_across_hosts_on_redis(
    shared_redis: Any, capi: Any, member: Any, settings: Any
) -> None:
    from herodesk.community.models import Question

    settings.HERODESK_COMMUNITY_RATE_ASK = "2/h"
    mia = capi(member)
    for i in range(2):
        r = mia.post("questions", {"page": "/docs/x", "title": f"Q{i}", "body": "b"})
        assert r.status_code == 201, r.content
    r = mia.post("questions", {"page": "/docs/x", "title": "Q3", "body": "b"})
    assert r.status_code == 429 and "at most 2 per hour" in body(r)["detail"]
    assert Question.objects.count() == 2
    # The counts are in Redis, where every host reads them.
    client = shared_redis["default"]._cache.get_client()
    keys = list(client.scan_iter(f"{shared_redis['default'].key_prefix}:*"))
    assert keys, "the rate-limit counters should live in Redis"


@needs_redis
def test_the_embed_list_cache_is_shared_and_dropped_on_redis(
    shared_redis: Any, capi: Any, member: Any, django_assert_num_queries: Any
) -> None:
    from herodesk.community import page_cache

    q = ask(member, page="/docs/shared")
    assert [r["id"] for r in body(capi(None).get("questions?page=/docs/shared"))] == [q.pk]
    with django_assert_num_queries(0):
        assert [r["id"] for r in body(capi(None).get("questions?page=/docs/shared"))] == [q.pk]
    # Another host's change (a bump through its own client) drops this host's entry.
    other = shared_redis["other_host"]
    assert page_cache.lookup("/docs/shared")[0] is not None
    other.set(page_cache._keys("/docs/shared")[1], "changed-elsewhere", 60)
    assert page_cache.lookup("/docs/shared")[0] is None
    ask(member, page="/docs/shared", title="A second one")
    assert len(body(capi(None).get("questions?page=/docs/shared"))) == 2
