"""Writes to what intake listens to: Slack channels and GitHub repositories
(`slack_channel_save`, `slack_channel_delete`, `github_repository_save`,
`github_repository_delete`). One transaction each, audited. Which team gets
what arrives there is a routing rule (rules.py)."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from herodesk.audit.log import record
from herodesk.intake.models import GitHubRepository, SlackChannel, SlackChannelKind
from herodesk.lib.errors import Conflict, Invalid, NotFound

SLACK_ID = re.compile(r"[A-Z0-9]{3,32}")
REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def clean_repository(full_name: str) -> str:
    name = (full_name or "").strip().lower().removeprefix("https://github.com/").strip("/")
    if not REPOSITORY.fullmatch(name) or len(name) > 200:
        raise Invalid('a repository is "owner/name", e.g. acme/widgets', field="full_name")
    return name


def _channel_snapshot(c: SlackChannel) -> dict[str, Any]:
    return {"id": c.channel_id, "name": c.name, "kind": c.kind, "redirect_text": c.redirect_text}


@transaction.atomic
def slack_channel_save(
    *, channel_id: str, actor: Any, kind: str, name: str = "", redirect_text: str = ""
) -> SlackChannel:
    """Listen to a Slack channel (or change what its messages mean)."""
    channel_id = (channel_id or "").strip().upper()
    if not SLACK_ID.fullmatch(channel_id):
        raise Invalid("a Slack channel id looks like C0123ABCD", field="id")
    if kind not in SlackChannelKind.values:
        raise Invalid(f"kind is one of {', '.join(SlackChannelKind.values)}", field="kind")
    row = SlackChannel.objects.select_for_update().filter(channel_id=channel_id).first()
    before = _channel_snapshot(row) if row else {}
    row = row or SlackChannel(channel_id=channel_id)
    row.name = (name or "").strip().lstrip("#")[:80]
    row.kind, row.redirect_text = kind, (redirect_text or "").strip()[:2000]
    row.save()
    after = _channel_snapshot(row)
    if after != before:
        action = "slack_channel.saved" if before else "slack_channel.created"
        record(actor, action, row, before=before, after=after)
    return row


@transaction.atomic
def slack_channel_delete(row: SlackChannel, *, actor: Any) -> None:
    record(actor, "slack_channel.deleted", row, before=_channel_snapshot(row))
    row.delete()


@transaction.atomic
def github_repository_save(*, full_name: str, actor: Any, enabled: bool = True) -> GitHubRepository:
    """Turn a repository's outside issues and comments into items (or pause it)."""
    name = clean_repository(full_name)
    row = GitHubRepository.objects.select_for_update().filter(full_name=name).first()
    if row is not None and row.enabled == enabled:
        return row
    before = {"full_name": name, "enabled": row.enabled} if row else {}
    row = row or GitHubRepository(full_name=name)
    row.enabled = enabled
    row.save()
    action = "github_repository.saved" if before else "github_repository.created"
    record(actor, action, row, before=before, after={"full_name": name, "enabled": enabled})
    return row


def github_repository_add(*, full_name: str, actor: Any) -> GitHubRepository:
    """A new repository; Conflict if it is already there (the API's POST)."""
    name = clean_repository(full_name)
    if GitHubRepository.objects.filter(full_name=name).exists():
        raise Conflict(f"{name} is already connected", field="full_name")
    return github_repository_save(full_name=name, actor=actor)


def github_repository_named(full_name: str) -> GitHubRepository:
    row = GitHubRepository.objects.filter(full_name=(full_name or "").strip().lower()).first()
    if row is None:
        raise NotFound(f"no repository {full_name} is connected")
    return row


@transaction.atomic
def github_repository_delete(row: GitHubRepository, *, actor: Any) -> None:
    record(
        actor,
        "github_repository.deleted",
        row,
        before={"full_name": row.full_name, "enabled": row.enabled},
    )
    row.delete()
