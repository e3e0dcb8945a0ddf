"""Calls into herodesk.notify for @mentions and hand-offs, when it is installed.

herodesk.notify owns the transports (email, Slack). The desk calls
`notify_mention(ticket, message, users)` and
`notify_handoff(ticket, from_user, to_user, note)` inside the transaction of
the change, so the notification is queued with it or not at all. Without
those functions the change still happens and the page says nobody was
notified.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)
MODULES = (
    "herodesk.notify.notices",
    "herodesk.notify.handoff",
    "herodesk.notify.actions",
    "herodesk.notify",
)


def hook(name: str) -> Callable[..., Any] | None:
    """herodesk.notify's function `name`, or None when it does not exist (yet)."""
    for module_name in MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and module_name.startswith(exc.name):
                continue
            raise
        fn = getattr(module, name, None)
        if callable(fn):
            return fn
    return None


def mention(ticket: Any, message: Any, users: list[Any]) -> bool:
    """Tell `users` they were mentioned; False when notifications are unavailable."""
    fn = hook("notify_mention")
    if fn is None or not users:
        return False
    fn(ticket, message, users)
    return True


def handoff(ticket: Any, from_user: Any, to_user: Any, note: str) -> bool:
    fn = hook("notify_handoff")
    if fn is None:
        return False
    fn(ticket, from_user, to_user, note)
    return True
