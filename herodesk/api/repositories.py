"""GitHub repositories the desk listens to:
`GET/POST /api/v1/github-repositories`, `DELETE /api/v1/github-repositories/{owner}/{name}`.

POST with `team` also routes the repository's items to that team (a routing
rule); a team lead may add repositories for their own team, admins any.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from herodesk.api.tickets import ERRORS, get_team
from herodesk.intake import actions as intake_actions
from herodesk.intake.models import GitHubRepository, RoutingRule
from herodesk.lib.errors import Forbidden
from herodesk.teams import access

router = Router(tags=["integrations"])


class RepositoryOut(Schema):
    full_name: str
    enabled: bool
    teams: list[str] = Field(description="teams a routing rule sends its items to")


class RepositoryIn(Schema):
    full_name: str = Field(..., description="owner/name")
    team: str | None = Field(None, description="route its items to this team (a rule)")


def repository_out(row: GitHubRepository, rules: list[RoutingRule]) -> dict[str, Any]:
    teams = sorted({r.team.slug for r in rules if r.repository == row.full_name})
    return {"full_name": row.full_name, "enabled": row.enabled, "teams": teams}


def _rules() -> list[RoutingRule]:
    rules = RoutingRule.objects.select_related("team")
    return [r for r in rules if r.repository]


@router.get("/github-repositories", response={200: list[RepositoryOut], **ERRORS})
def list_repositories(request: HttpRequest) -> Any:
    access.require_agent(request.user)
    rules = _rules()
    return [repository_out(r, rules) for r in GitHubRepository.objects.all()]


@router.post("/github-repositories", response={201: RepositoryOut, **ERRORS})
def add_repository(request: HttpRequest, payload: RepositoryIn) -> Any:
    with transaction.atomic():  # the repository and its rule, or neither
        row = _add(request.user, payload)
    return Status(201, repository_out(row, _rules()))


def _add(user: Any, payload: RepositoryIn) -> GitHubRepository:
    team = get_team(payload.team) if payload.team else None
    allowed = access.is_admin(user) or (team is not None and access.can_admin_team(user, team))
    if not allowed:
        raise Forbidden("only an admin, or a lead adding it for their team, can add a repository")
    row = intake_actions.github_repository_add(full_name=payload.full_name, actor=user)
    if team is not None:
        intake_actions.routing_rule_save(
            team=team,
            actor=user,
            name=f"GitHub {row.full_name}",
            channel="github",
            repository=row.full_name,
        )
    return row


@router.delete("/github-repositories/{owner}/{name}", response={204: None, **ERRORS})
def delete_repository(request: HttpRequest, owner: str, name: str) -> Any:
    """Stop listening (admins, or a lead of a team its items are routed to)."""
    access.require_agent(request.user)  # the role before the lookup
    row = intake_actions.github_repository_named(f"{owner}/{name}")
    teams = [r.team for r in _rules() if r.repository == row.full_name]
    if not (
        access.is_admin(request.user) or any(access.can_admin_team(request.user, t) for t in teams)
    ):
        raise Forbidden(f"only an admin or a lead of a team that gets its items can remove {row}")
    intake_actions.github_repository_delete(row, actor=request.user)
    return Status(204, None)
