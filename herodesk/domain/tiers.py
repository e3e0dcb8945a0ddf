"""Ticket tiers (SPEC §3): T0 is the most urgent, T5 the least. Pure Python."""

from __future__ import annotations

from enum import IntEnum


class Tier(IntEnum):
    ALERT = 0
    CS_ESCALATION = 1
    HIGH = 2
    NORMAL = 3
    COMMUNITY = 4
    LOW = 5

    @property
    def label(self) -> str:
        return TIER_LABELS[self]

    @property
    def slug(self) -> str:
        return self.name.lower()


TIER_LABELS: dict[Tier, str] = {
    Tier.ALERT: "Alert",
    Tier.CS_ESCALATION: "CS escalation",
    Tier.HIGH: "High",
    Tier.NORMAL: "Normal",
    Tier.COMMUNITY: "Community",
    Tier.LOW: "Low",
}

TIER_MIN, TIER_MAX = int(min(Tier)), int(max(Tier))
TIER_RANGE = f"{TIER_MIN}–{TIER_MAX}"  # for messages: "tier must be 0–5"
TIER_CLASSES: dict[Tier, str] = {t: f"t{int(t)}" for t in Tier}  # CSS classes (app.css)

# Named rule sets: code asks "is this tier in X", never "is it 5".
# Public replies are emailed to the requester (T5 low gets no email, SPEC §3).
NO_EMAIL = frozenset({Tier.LOW})
# The requester gets an acknowledgement mail on arrival.
ACKNOWLEDGED = frozenset({Tier.HIGH, Tier.NORMAL})
# A public reply is required before the ticket may be solved.
REPLY_REQUIRED = frozenset({Tier.HIGH, Tier.NORMAL})
# May be closed in bulk without a reply.
BULK_CLOSABLE = frozenset({Tier.LOW})
# Unresolved items of these tiers are handed to the next hero at rotation end.
HANDED_OFF_AT_ROTATION_END = frozenset(t for t in Tier if t not in NO_EMAIL)
# The organization's CS owner is the default assignee.
CS_OWNED = frozenset({Tier.CS_ESCALATION})


def parse_tier(value: object) -> Tier | None:
    """A tier from user input ("3", 3); None for anything else (bools included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
    try:
        return Tier(int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


# Organization plan → tier for a requester's own tickets (SPEC §3).
PLAN_TIERS: dict[str, Tier] = {
    "enterprise": Tier.HIGH,
    "scale": Tier.HIGH,
    "teams": Tier.NORMAL,
    "paid": Tier.NORMAL,
    "free": Tier.LOW,
}


def derive_tier(fixed: Tier | None, plan: str | None, *, escalated: bool = False) -> Tier:
    """Tier from the channel's fixed tier (its spec's `default_tier`), the
    organization's plan and flags.

    Alerts and CS escalations win over anything; community channels are
    community tier; everything else follows the plan (unknown or no plan → low).
    """
    if escalated:
        return Tier.CS_ESCALATION
    if fixed is not None:
        return fixed
    if plan is None:
        return Tier.LOW
    return PLAN_TIERS.get(plan.lower(), Tier.LOW)
