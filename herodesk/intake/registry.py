"""Which channels exist. Adding a channel = one folder + one line in SPECS.

Each channel folder declares a `ChannelSpec` in its `spec.py` (name, label,
icon, fixed tier, source link label, routing conditions, and the dotted paths
of its `EVENT_HANDLERS` module and, for webhooks, its `HOOK` module). This
module registers them in `herodesk.lib.channels`, which every layer reads.
Adapter and hook modules are imported on first use (by dotted path), so the
registry never depends on the code that handles a channel.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from herodesk.intake.bugreport.spec import SPEC as BUG_REPORT
from herodesk.intake.community.spec import SPEC as COMMUNITY
from herodesk.intake.email.spec import SPEC as EMAIL
from herodesk.intake.github.spec import SPEC as GITHUB
from herodesk.intake.sentry.spec import SPEC as SENTRY
from herodesk.intake.slack.spec import CS_ESCALATION
from herodesk.intake.slack.spec import SPEC as SLACK
from herodesk.intake.zendesk.spec import SPEC as ZENDESK
from herodesk.lib import channels

SPECS = (EMAIL, BUG_REPORT, SLACK, CS_ESCALATION, SENTRY, GITHUB, COMMUNITY, ZENDESK)
channels.register(*SPECS)


def _spec(name: str, what: str) -> channels.ChannelSpec:
    spec = channels.get(name)
    path = (spec.handlers if what == "channel" else spec.webhook) if spec else ""
    if spec is None or not path:
        known = sorted(
            s.name for s in channels.specs() if (s.handlers if what == "channel" else s.webhook)
        )
        raise LookupError(f"unknown intake {what} {name!r}; known: {', '.join(known)}")
    return spec


def handlers(channel: str) -> Mapping[str, Any]:
    """The EVENT_HANDLERS of a channel (LookupError for an unknown channel)."""
    handlers_: Mapping[str, Any] = import_module(_spec(channel, "channel").handlers).EVENT_HANDLERS
    return handlers_


def hook(name: str) -> Any:
    """The Webhook description behind /hooks/<name> (LookupError if none)."""
    return import_module(_spec(name, "webhook").webhook).HOOK


def adapter_names() -> list[str]:
    return sorted(spec.name for spec in channels.specs() if spec.handlers)


def webhook_names() -> list[str]:
    return sorted(spec.name for spec in channels.specs() if spec.webhook)
