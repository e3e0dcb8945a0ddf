"""Keep a web process's long-lived objects out of the garbage collector's walks.

A loaded desk holds ~150,000 tracked objects that live as long as the process:
modules, classes, functions, the URLconf, compiled templates, prepared
statements. CPython's full (generation 2) collection walks all of them, and
the request that triggers one waits for it: 150–230 ms on this 2-core machine
(bench/bench_gc.py). Full collections run while a process warms up (its first
requests allocate the lazily loaded parts) and then, in a steady state, about
every 1,700 requests (CPython starts one when the objects promoted since the
last one exceed a quarter of those that survived it: ~36,000 at ~21 a
request), so they are the far tail of the latency figures (p99.9), and a
deploy's first minutes. `gc.freeze()` moves what exists now into a permanent
generation that collections skip: with it the full collections measured took
3–6 ms (bench/RESULTS.md, "Session 8 (lead)").

What a process first loads lazily (the desk's URLconfs, templates on first
render, prepared statements on first use) is frozen too: the wrapper freezes
again after the first few requests (`FREEZE_AFTER`). Each freeze is preceded by
a young (generation 1) collection, so the request garbage that is already
unreachable is freed rather than kept forever; what a freeze may still keep is
bounded by the few times it runs. This is the use the Python docs describe for
`gc.freeze` (added to CPython 3.7 by Instagram for its Django servers);
`herodesk worker` and the other commands freeze once at start-up
(`herodesk.cli`).
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable, Iterable
from typing import Any

# Requests after which the process freezes again: lazy loads happen on the
# first requests of each kind of page; by the 1,000th they are done.
FREEZE_AFTER = frozenset({1, 10, 100, 1000})

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def freeze() -> None:
    """Free the young garbage, then stop tracking everything alive now."""
    gc.collect(1)
    gc.freeze()


class FrozenAfterWarmUp:
    """A WSGI app that freezes its process's objects at start and after warm-up."""

    def __init__(self, app: WSGIApp, after: frozenset[int] = FREEZE_AFTER) -> None:
        self.app = app
        self.after = after
        # next() on a count is atomic under the GIL: threads each get their own number.
        self._served = itertools.count(1)
        gc.collect()
        gc.freeze()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        response = self.app(environ, start_response)
        if next(self._served) in self.after:
            freeze()
        return response
