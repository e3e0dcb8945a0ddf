"""Which module handles which channel. Adding a channel = one line here.

`ADAPTERS` maps a Delivery.channel to the module holding its EVENT_HANDLERS;
`HOOKS` maps a /hooks/<name> webhook to the module holding its `HOOK`.
Modules are imported on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from herodesk.intake.base import Handler, Webhook

ADAPTERS: dict[str, str] = {
    "email": "herodesk.intake.email.adapter",
    "bug_report": "herodesk.intake.bugreport.adapter",
    "github": "herodesk.intake.github.adapter",
    "slack": "herodesk.intake.slack.adapter",
    "sentry": "herodesk.intake.sentry.adapter",
    "zendesk": "herodesk.intake.zendesk.adapter",
}

HOOKS: dict[str, str] = {
    "github": "herodesk.intake.github.hook",
    "slack": "herodesk.intake.slack.hook",
    "sentry": "herodesk.intake.sentry.hook",
    "zendesk": "herodesk.intake.zendesk.hook",
}


def _module(table: dict[str, str], name: str, what: str) -> Any:
    path = table.get(name)
    if path is None:
        raise LookupError(f"unknown intake {what} {name!r}; known: {', '.join(sorted(table))}")
    return import_module(path)


def handlers(channel: str) -> Mapping[str, Handler]:
    """The EVENT_HANDLERS of a channel (LookupError for an unknown channel)."""
    handlers_: Mapping[str, Handler] = _module(ADAPTERS, channel, "channel").EVENT_HANDLERS
    return handlers_


def hook(name: str) -> Webhook:
    """The Webhook description behind /hooks/<name> (LookupError if none)."""
    webhook: Webhook = _module(HOOKS, name, "webhook").HOOK
    return webhook
