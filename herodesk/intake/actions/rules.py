"""Writes to routing rules (`routing_rule_<verb>`): one transaction, audited.

Used by the team settings page and the API; callers check roles (a lead edits
the rules that send items to their own team). Where a rule runs is scoped
here (`_scoped_position`): an admin orders rules across teams; a lead orders
their team's rules only behind the other teams' rules that already run before
them, so a lead's write never takes another team's intake.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.customers.models import Organization
from herodesk.intake.models import RoutingRule
from herodesk.lib import channels
from herodesk.lib.errors import Invalid
from herodesk.teams import access

CONDITIONS = ("channel", "conditions", "keywords", "organization")
MAX_KEYWORDS = 50
MAX_CONDITIONS = 20
MAX_VALUE = 200
MAX_POSITION = 100_000
DEFAULT_POSITION = 100


def _snapshot(rule: RoutingRule) -> dict[str, Any]:
    return {
        "position": rule.position,
        "name": rule.name,
        "enabled": rule.enabled,
        "channel": rule.channel,
        "conditions": rule.conditions,
        "keywords": rule.keywords,
        "organization": rule.organization_id,
        "team": rule.team_id,
    }


def clean_conditions(values: dict[str, Any]) -> list[dict[str, str]]:
    """The rule's channel conditions from `conditions` ([{field, op, value}]) and
    from any routing field given by name (repository="acme/app", page="/docs/*")."""
    known = channels.routing_fields()
    given = list(values.get("conditions") or [])
    for field in known:
        value = values.get(field)
        if isinstance(value, str) and value.strip():
            given.append({"field": field, "op": known[field].operators[0], "value": value})
    if len(given) > MAX_CONDITIONS:
        raise Invalid(f"at most {MAX_CONDITIONS} conditions", field="conditions")
    out: dict[str, dict[str, str]] = {}
    for cond in given:
        if not isinstance(cond, dict):
            raise Invalid("each condition is {field, op, value}", field="conditions")
        field = str(cond.get("field") or "")
        spec = known.get(field)
        if spec is None:
            names = ", ".join(sorted(known))
            raise Invalid(f"unknown condition field {field!r}; one of {names}", field="conditions")
        op = str(cond.get("op") or spec.operators[0])
        if op not in spec.operators:
            raise Invalid(
                f"{field}: operator {op!r} not offered; one of {', '.join(spec.operators)}",
                field="conditions",
            )
        value = str(cond.get("value") or "").strip()
        if not value or len(value) > MAX_VALUE:
            raise Invalid(f"{field}: a value of 1–{MAX_VALUE} characters", field="conditions")
        out[field] = {"field": field, "op": op, "value": value}  # one condition per field
    return list(out.values())


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    channel = (values.get("channel") or "").strip()
    if channel and channel not in channels.names():
        raise Invalid(f"unknown channel {channel!r}", field="channel")
    keywords = [k.strip() for k in values.get("keywords") or [] if k and k.strip()]
    if len(keywords) > MAX_KEYWORDS:
        raise Invalid(f"at most {MAX_KEYWORDS} keywords", field="keywords")
    org = values.get("organization")
    if isinstance(org, str):
        org_name = org.strip()
        org = Organization.objects.filter(name__iexact=org_name).first() if org_name else None
        if org_name and org is None:
            raise Invalid(f"no organization named {org_name!r}", field="organization")
    position = values.get("position")
    if position is not None and (
        not isinstance(position, int) or not 0 <= position <= MAX_POSITION
    ):
        raise Invalid(f"position is a number from 0 to {MAX_POSITION}", field="position")
    clean = {
        "name": (values.get("name") or "").strip()[:100],
        "channel": channel,
        "conditions": clean_conditions(values),
        "keywords": keywords,
        "organization": org,
        "position": position,
        "enabled": bool(values.get("enabled", True)),
    }
    if not any(clean[c] for c in CONDITIONS):
        raise Invalid(
            "set at least one condition: a rule without one would take every item", field="channel"
        )
    return clean


def _label(rule: RoutingRule) -> str:
    return f"“{rule.name}”" if rule.name else f"rule {rule.pk}"


def _scoped_position(rule: RoutingRule | None, team: Any, position: int | None, actor: Any) -> int:
    """Where the rule may run. Admins: anywhere. A lead: never ahead of another
    team's rule that runs before it now (for a new rule: any other team's rule)."""
    if isinstance(actor, str) or access.is_admin(actor):  # a system writer (demo, config)
        return DEFAULT_POSITION if position is None else position
    staying = rule is not None and rule.team_id == team.pk
    if rule is not None and staying and position in (None, rule.position):
        return rule.position
    ahead = RoutingRule.objects.exclude(team=team).select_related("team")
    if rule is not None:
        ahead = ahead.exclude(pk=rule.pk)
        if staying:
            ahead = ahead.filter(
                Q(position__lt=rule.position) | Q(position=rule.position, pk__lt=rule.pk)
            )
    last = ahead.order_by("-position", "-pk").first()
    lowest = last.position + 1 if last is not None else 0
    if position is None:
        position = max(DEFAULT_POSITION, lowest)
    if last is not None and (position < lowest or position > MAX_POSITION):
        raise Invalid(
            f"position must be at least {lowest}: {last.team.name}'s rule {_label(last)} "
            f"(position {last.position}) runs first, and only an admin orders rules "
            "across teams",
            field="position",
        )
    return position


@transaction.atomic
def routing_rule_save(
    *, team: Any, actor: Any, rule: RoutingRule | None = None, **values: Any
) -> RoutingRule:
    """Create a rule sending matching items to `team`, or change `rule`
    (`position=None`: keep it, or for a new rule the default place in scope)."""
    clean = _clean(values)
    now = timezone.now()
    before: dict[str, Any] = {}
    if rule is None:
        rule_obj = None
        rule = RoutingRule(team=team, created_at=now)
    else:
        rule = rule_obj = RoutingRule.objects.select_for_update().get(pk=rule.pk)
        before = _snapshot(rule)
    clean["position"] = _scoped_position(rule_obj, team, clean["position"], actor)
    for key, value in clean.items():
        setattr(rule, key, value)
    rule.team, rule.updated_at = team, now
    rule.save()
    record(
        actor,
        "routing_rule.saved" if before else "routing_rule.created",
        rule,
        before=before,
        after=_snapshot(rule),
    )
    return rule


@transaction.atomic
def routing_rule_delete(rule: RoutingRule, *, actor: Any) -> None:
    record(actor, "routing_rule.deleted", rule, before=_snapshot(rule))
    rule.delete()
