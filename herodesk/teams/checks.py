"""Checks of team settings that several writers share (SLA targets)."""

from __future__ import annotations

from typing import Any

from herodesk.domain.tiers import TIER_RANGE, Tier
from herodesk.lib.errors import Invalid


def validate_targets(value: Any) -> dict[str, dict[str, int]]:
    """Check a Team.sla_targets value; raise Invalid naming the bad part."""
    if not isinstance(value, dict):
        raise Invalid("sla_targets must be an object keyed by tier", field="sla_targets")
    clean: dict[str, dict[str, int]] = {}
    for key, targets in value.items():
        if str(key) not in {str(t.value) for t in Tier}:
            raise Invalid(f"sla_targets: unknown tier {key!r} ({TIER_RANGE})", field="sla_targets")
        if not isinstance(targets, dict) or set(targets) - {"great", "okay", "late"}:
            raise Invalid(
                f"sla_targets.{key} must have only great/okay/late minutes", field="sla_targets"
            )
        minutes = {k: v for k, v in targets.items()}
        if any(not isinstance(v, int) or v <= 0 for v in minutes.values()):
            raise Invalid(
                f"sla_targets.{key}: minutes must be positive integers", field="sla_targets"
            )
        ordered = [minutes.get(k) for k in ("great", "okay", "late") if k in minutes]
        if ordered != sorted(ordered):  # type: ignore[type-var]
            raise Invalid(f"sla_targets.{key}: need great ≤ okay ≤ late", field="sla_targets")
        clean[str(key)] = minutes
    return clean
