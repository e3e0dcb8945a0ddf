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

# Organization plan → tier for a requester's own tickets (SPEC §3).
PLAN_TIERS: dict[str, Tier] = {
    "enterprise": Tier.HIGH,
    "scale": Tier.HIGH,
    "teams": Tier.NORMAL,
    "paid": Tier.NORMAL,
    "free": Tier.LOW,
}

# Channels whose items have a fixed tier whatever the requester's plan.
CHANNEL_TIERS: dict[str, Tier] = {
    "sentry": Tier.ALERT,
    "cs_escalation": Tier.CS_ESCALATION,
    "github": Tier.COMMUNITY,
    "community": Tier.COMMUNITY,
}


def derive_tier(channel: str, plan: str | None, *, escalated: bool = False) -> Tier:
    """Tier from the channel, the organization's plan and flags.

    Alerts and CS escalations win over anything; community channels are
    community tier; everything else follows the plan (unknown or no plan → low).
    """
    if escalated:
        return Tier.CS_ESCALATION
    fixed = CHANNEL_TIERS.get(channel)
    if fixed is not None:
        return fixed
    if plan is None:
        return Tier.LOW
    return PLAN_TIERS.get(plan.lower(), Tier.LOW)
