"""The WSGI wrapper that freezes a web process's long-lived objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from herodesk.lib.gcfreeze import FrozenAfterWarmUp


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    # A freeze is process-wide: give the test run its collector back afterwards.
    yield
    gc.unfreeze()


def test_freezes_at_start_and_after_the_chosen_requests() -> None:
    kept: list[object] = []

    def app(environ: dict, start_response: object) -> list[bytes]:
        kept.append(object.__new__(type("Loaded", (), {})))  # a lazily loaded class, say
        return [environ["PATH_INFO"].encode()]

    gc.unfreeze()
    wrapped = FrozenAfterWarmUp(app, after=frozenset({1, 3}))
    at_start = gc.get_freeze_count()
    assert at_start > 0

    counts = []
    for path in ("/a", "/b", "/c", "/d"):
        assert wrapped({"PATH_INFO": path}, None) == [path.encode()]  # the response, as is
        counts.append(gc.get_freeze_count())
    # Frozen again after the 1st and the 3rd request only.
    assert counts[0] > at_start
    assert counts[1] == counts[0]
    assert counts[2] > counts[1]
    assert counts[3] == counts[2]


def test_the_served_app_is_wrapped() -> None:
    from herodesk.wsgi import application

    assert isinstance(application, FrozenAfterWarmUp)
