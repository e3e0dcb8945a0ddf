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


class Loaded:
    """Stands for what a request loads and keeps (a module, a compiled template)."""


def frozen(obj: object) -> bool:
    """Tracked by the collector, yet in none of its generations: frozen."""
    return gc.is_tracked(obj) and all(o is not obj for o in gc.get_objects())


def test_freezes_at_start_and_after_the_chosen_requests() -> None:
    before = Loaded()
    kept: list[Loaded] = []

    def app(environ: dict, start_response: object) -> list[bytes]:
        kept.append(Loaded())
        return [environ["PATH_INFO"].encode()]

    gc.unfreeze()
    assert not frozen(before)
    wrapped = FrozenAfterWarmUp(app, after=frozenset({1, 3}))
    assert frozen(before)  # at start

    for path in ("/a", "/b", "/c", "/d"):
        assert wrapped({"PATH_INFO": path}, None) == [path.encode()]  # the response, as is
    # Frozen again after the 1st and the 3rd request only: what the 2nd loaded
    # was frozen with the 3rd, what the 4th loaded is not frozen yet.
    assert [frozen(obj) for obj in kept] == [True, True, True, False]


def test_the_served_app_is_wrapped() -> None:
    from herodesk.wsgi import application

    assert isinstance(application, FrozenAfterWarmUp)
