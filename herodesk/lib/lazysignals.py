"""Signal receivers whose module is imported when a signal first reaches them.

An app's `ready()` used to import its receiver modules to connect them, and
with them everything the receivers use (the outbox and its transports, the
e-mail builder, Slack, the rotations' queries, the intake pipeline …), so
every command paid for them at start-up (`herodesk who`; issue 17 §5).

`connect_lazily(signal, "herodesk.notify.receivers.on_ticket_created",
dispatch_uid="notify.ticket_created")` connects a small stand-in under the
receiver's own `dispatch_uid` (and sender): Django keeps one receiver per
(dispatch_uid, sender), so when the module is imported later its own
`@receiver(...)` connects nothing, and the stand-in imports the module and
calls the function each time the signal is sent. Connection order, and so
the order receivers run in, stays that of the apps' `ready()`.
`herodesk/api/tests/test_lazy_load.py` fails when a receiver module connects
something its app did not connect lazily.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal
from django.utils.module_loading import import_string


class LazyReceiver:
    """Calls the function at `path` (imported on the first call)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __call__(self, signal: Signal, sender: Any, **kwargs: Any) -> Any:
        return import_string(self.path)(signal=signal, sender=sender, **kwargs)

    def __repr__(self) -> str:
        return f"<LazyReceiver {self.path}>"


def connect_lazily(signal: Signal, path: str, *, dispatch_uid: str, sender: Any = None) -> None:
    """Connect the receiver at `path` without importing its module (see above)."""
    signal.connect(LazyReceiver(path), sender=sender, weak=False, dispatch_uid=dispatch_uid)
