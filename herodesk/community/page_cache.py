"""The embed's question list, cached per docs page (GET /community/api/questions).

Every view of a docs page with the snippet asks for that page's list, and
nobody's list differs (it shows public questions only), so the API keeps the
finished JSON in Django's cache (HERODESK_CACHE_URL: a file cache shared by
the processes of one machine by default, Redis for several hosts). A hit
costs one cache round trip and no database query.

Staleness is ruled out with versions rather than deletes. Each page has a
version key and all pages share a topics generation; an entry is stored with
the version and generation read *before* its query ran, and counts only while
both are still current. A change bumps the page's version (`page_changed`)
twice: at once (so the same transaction, and tests, see it) and again when
the transaction commits (so a reader who queried before the commit and
stored the old list after it is not believed). Topic changes bump the
generation the same way. The receivers in `receivers.py` call these on every
save or delete of a Question or Topic; the actions that update questions with
`.update()` (answer counts) call `page_changed` themselves.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction

ENTRY_SECONDS = 600  # a bound on staleness should a write ever bypass the actions
VERSION_SECONDS = 7 * 24 * 3600  # losing a version key only costs a miss
GENERATION = "community:list:topics"

Tag = tuple[Any, Any]


def _keys(page: str) -> tuple[str, str]:
    digest = hashlib.sha256(page.encode()).hexdigest()[:40]
    return f"community:list:{digest}", f"community:list:v:{digest}"


def lookup(page: str) -> tuple[bytes | None, Tag]:
    """(the cached JSON or None, the tag to store a fresh one with): one cache round trip."""
    entry_key, version_key = _keys(page)
    found = cache.get_many([entry_key, version_key, GENERATION])
    tag = (found.get(version_key), found.get(GENERATION))
    entry = found.get(entry_key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == tag:
        return entry[1], tag
    return None, tag


def store(page: str, tag: Tag, payload: bytes) -> None:
    cache.set(_keys(page)[0], (tag, payload), ENTRY_SECONDS)


def _bump(key: str, seconds: int | None) -> None:
    def bump() -> None:
        cache.set(key, uuid.uuid4().hex, seconds)

    bump()
    transaction.on_commit(bump, robust=True)  # committed already: log, don't fail


def page_changed(page: str) -> None:
    """A question on `page` was asked, edited, answered, moderated or deleted."""
    _bump(_keys(page)[1], VERSION_SECONDS)


def topics_changed() -> None:
    """A topic was added, renamed or removed: every page's list may show it."""
    _bump(GENERATION, None)
