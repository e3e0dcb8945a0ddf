"""The channel registry: one `ChannelSpec` per channel, the single source of
what a channel is called, how it looks, which tier its items get, how its
source link reads, which routing conditions it offers and where its code is.

The registry lives here, at the bottom of the house, so every layer can read
it (ticket choices, queue icons, triage, the API). Each intake channel
declares its spec in `herodesk/intake/<channel>/spec.py` and
`herodesk/intake/registry.py` registers them; channels that are not intake
adapters (API, web form) are registered by the tickets app. Adding a channel =
one folder + one line in `intake/registry.py` (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from herodesk.domain.answer_paths import AnswerPath
from herodesk.domain.tiers import Tier

OPERATORS = ("equals", "glob")  # equals: case-insensitive; glob: shell pattern (* ? [..])


@dataclass(frozen=True)
class RoutingField:
    """A routing condition a channel offers: `field` is stored on the rule's
    condition ({"field", "op", "value"}), `attr` is the normalized item's
    attribute (or metadata key) it is matched against."""

    field: str
    label: str
    attr: str
    operators: tuple[str, ...] = ("equals",)


@dataclass(frozen=True)
class ChannelSpec:
    name: str  # the value stored in Ticket.channel / Delivery.channel
    label: str  # "GitHub"
    icon: str  # id of the SVG symbol in the desk's sprite
    default_tier: Tier | None = None  # fixed tier for this channel's items (None: by plan)
    source_label: str = "Original"  # the ticket page's link to the item at its source
    handlers: str = ""  # dotted module with EVENT_HANDLERS ("" = not an intake adapter)
    webhook: str = ""  # dotted module with HOOK, served at /hooks/<name>/
    routing: tuple[RoutingField, ...] = field(default=())
    # Where a public reply reaches the customer (domain.answer_paths).
    answer: AnswerPath = AnswerPath.EMAIL


_REGISTRY: dict[str, ChannelSpec] = {}


def register(*specs: ChannelSpec) -> None:
    """Add channels (idempotent for the same spec; a different spec under a
    known name is a programming error)."""
    for spec in specs:
        known = _REGISTRY.get(spec.name)
        if known is not None and known != spec:
            raise ValueError(f"channel {spec.name!r} is registered twice with different specs")
        _REGISTRY[spec.name] = spec


def get(name: str) -> ChannelSpec | None:
    return _REGISTRY.get(name)


def specs() -> Iterator[ChannelSpec]:
    return iter(list(_REGISTRY.values()))


def names() -> list[str]:
    return list(_REGISTRY)


def choices() -> list[tuple[str, str]]:
    """(name, label) pairs: the `choices` of every channel field (a callable, so
    registering a channel needs no change to the models)."""
    return [(s.name, s.label) for s in _REGISTRY.values()]


def label(name: str) -> str:
    spec = _REGISTRY.get(name)
    return spec.label if spec else name


def icon(name: str) -> str:
    spec = _REGISTRY.get(name)
    return spec.icon if spec else "inbox"


def fixed_tier(name: str) -> Tier | None:
    spec = _REGISTRY.get(name)
    return spec.default_tier if spec else None


def answer_path(name: str) -> AnswerPath:
    spec = _REGISTRY.get(name)
    return spec.answer if spec else AnswerPath.EMAIL


def webhooks() -> list[ChannelSpec]:
    return [s for s in _REGISTRY.values() if s.webhook]


def routing_fields() -> dict[str, RoutingField]:
    """Every routing condition field any channel offers, by field name."""
    out: dict[str, RoutingField] = {}
    for spec in _REGISTRY.values():
        for rf in spec.routing:
            out.setdefault(rf.field, rf)
    return out
