"""/api/v1/routing-rules: list, create, change and delete routing rules.

Admins manage every rule; a team lead manages the rules that send items to a
team they lead (and may read all rules, to see the order they run in).
Writes go through herodesk.intake.actions (validated, audited).
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from herodesk.api.tickets import ERRORS, get_team
from herodesk.api.types import ID, Bool, In, Int
from herodesk.intake import actions as rules
from herodesk.intake.actions import MAX_CONDITIONS, MAX_KEYWORDS, MAX_POSITION
from herodesk.intake.models import RoutingRule
from herodesk.lib import channels
from herodesk.lib.errors import Forbidden, NotFound
from herodesk.teams import access
from herodesk.teams.models import Membership

router = Router(tags=["routing"])


class Condition(In):
    field: str = Field(max_length=40, description="a routing field a channel offers")
    op: str = Field("equals", max_length=10, description="equals or glob (if the field offers it)")
    value: str = Field(max_length=200)


class RuleOut(Schema):
    id: int
    position: int
    name: str
    enabled: bool
    team: str = Field(description="slug of the team matching items go to")
    channel: str
    repository: str
    slack_channel: str
    sentry_project: str
    page: str = Field(description="community docs page path or glob")
    topic: str = Field(description="community topic slug")
    conditions: list[Condition] = Field(description="every channel condition, generically")
    keywords: list[str]
    organization: str | None = Field(None, description="organization name")
    created_at: str
    updated_at: str


POSITION = "rules run by position, lowest first; a lead's rule goes behind other teams' rules"
Position = Annotated[Int, Field(ge=0, le=MAX_POSITION, description=POSITION)]
Keywords = Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=MAX_KEYWORDS)]


def _channel_enum(schema: dict[str, Any]) -> None:
    schema["enum"] = ["", *channels.names()]


class RuleIn(In):
    team: str = Field(max_length=50, description="team slug")
    position: Position | None = Field(None, description=POSITION + "; omitted: the default place")
    name: str = Field("", max_length=100)
    enabled: Bool = True
    channel: str = Field(
        "", description="email, bug_report, slack, …", json_schema_extra=_channel_enum
    )
    repository: str = Field("", max_length=200, description="GitHub owner/name")
    slack_channel: str = Field("", max_length=80, description="channel id (C…) or #name")
    sentry_project: str = Field("", max_length=100, description="Sentry project slug")
    page: str = Field(
        "", max_length=300, description="community docs page path or glob (/docs/x/*)"
    )
    topic: str = Field("", max_length=50, description="community topic slug")
    conditions: list[Condition] = Field(
        default_factory=list,
        max_length=MAX_CONDITIONS,
        description="conditions on any channel's routing fields",
    )
    keywords: Keywords = Field(default_factory=list, description="any one matches")
    organization: str | None = Field(None, max_length=200, description="organization name")


class RulePatch(In):
    team: str | None = Field(None, max_length=50)
    position: Position | None = None
    name: str | None = Field(None, max_length=100)
    enabled: Bool | None = None
    channel: str | None = Field(None, json_schema_extra=_channel_enum)
    repository: str | None = Field(None, max_length=200)
    slack_channel: str | None = Field(None, max_length=80)
    sentry_project: str | None = Field(None, max_length=100)
    page: str | None = Field(None, max_length=300)
    topic: str | None = Field(None, max_length=50)
    conditions: list[Condition] | None = Field(None, max_length=MAX_CONDITIONS)
    keywords: Keywords | None = None
    organization: str | None = Field(None, max_length=200)


NAMED = ("repository", "slack_channel", "sentry_project", "page", "topic")


def rule_out(rule: RoutingRule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "position": rule.position,
        "name": rule.name,
        "enabled": rule.enabled,
        "team": rule.team.slug,
        "channel": rule.channel,
        "repository": rule.repository,
        "slack_channel": rule.slack_channel,
        "sentry_project": rule.sentry_project,
        "page": rule.page,
        "topic": rule.topic,
        "conditions": list(rule.conditions),
        "keywords": list(rule.keywords),
        "organization": rule.organization.name if rule.organization else None,
        "created_at": rule.created_at.isoformat(),
        "updated_at": rule.updated_at.isoformat(),
    }


def _require_reader(user: Any) -> None:
    if access.is_admin(user) or (
        access.is_agent(user)
        and Membership.objects.filter(person__user=user, role=Membership.LEAD).exists()
    ):
        return
    raise Forbidden("only admins and team leads can see routing rules")


def _require_writer(user: Any, team: Any) -> None:
    if not access.can_admin_team(user, team):
        raise Forbidden(f"only an admin or a lead of {team.name} can change its routing rules")


def _rules() -> Any:
    return RoutingRule.objects.select_related("team", "organization")


def _get(pk: int) -> RoutingRule:
    rule = _rules().filter(pk=pk).first()
    if rule is None:
        raise NotFound(f"routing rule {pk} not found")
    return rule


@router.get("/routing-rules", response={200: list[RuleOut], **ERRORS})
def list_rules(request: HttpRequest) -> Any:
    """Every rule in the order they are tried (first match wins)."""
    _require_reader(request.user)
    return [rule_out(r) for r in _rules()]


@router.post("/routing-rules", response={201: RuleOut, **ERRORS})
def create_rule(request: HttpRequest, payload: RuleIn) -> Any:
    team = get_team(payload.team)
    _require_writer(request.user, team)
    values = payload.dict(exclude={"team"})
    rule = rules.routing_rule_save(team=team, actor=request.user, **values)
    return Status(201, rule_out(_get(rule.pk)))


@router.get("/routing-rules/{pk}", response={200: RuleOut, **ERRORS})
def rule_detail(request: HttpRequest, pk: ID) -> Any:
    _require_reader(request.user)
    return rule_out(_get(pk))


@router.patch("/routing-rules/{pk}", response={200: RuleOut, **ERRORS})
def update_rule(request: HttpRequest, pk: ID, payload: RulePatch) -> Any:
    """Change some fields; moving a rule to another team needs lead rights on both."""
    rule = _get(pk)
    _require_writer(request.user, rule.team)
    changes = payload.dict(exclude_unset=True)
    team = get_team(changes.pop("team")) if changes.get("team") else rule.team
    _require_writer(request.user, team)
    current = {k: v for k, v in rule_out(rule).items() if k in RulePatch.model_fields}
    conditions = {c["field"]: c for c in rule.conditions}
    if "conditions" in changes:  # replaces them all
        conditions = {c["field"]: c for c in changes.pop("conditions") or []}
    for field in NAMED:  # a named field changes (or, empty, removes) its one condition
        if field in changes:
            conditions.pop(field, None)
            if changes[field]:
                op = channels.routing_fields()[field].operators[0]
                conditions[field] = {"field": field, "op": op, "value": changes[field]}
    values = {**current, **changes, "conditions": list(conditions.values())}
    for key in ("team", *NAMED):
        values.pop(key, None)
    rules.routing_rule_save(team=team, actor=request.user, rule=rule, **values)
    return rule_out(_get(pk))


@router.delete("/routing-rules/{pk}", response={204: None, **ERRORS})
def delete_rule(request: HttpRequest, pk: ID) -> Any:
    rule = _get(pk)
    _require_writer(request.user, rule.team)
    rules.routing_rule_delete(rule, actor=request.user)
    return Status(204, None)
