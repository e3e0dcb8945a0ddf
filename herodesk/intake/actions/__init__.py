"""The only writers of the intake app: routing rules (`rules.py`) and what
intake listens to — Slack channels and GitHub repositories (`sources.py`)."""

from herodesk.intake.actions.rules import (
    CONDITIONS,
    MAX_KEYWORDS,
    routing_rule_delete,
    routing_rule_save,
)
from herodesk.intake.actions.sources import (
    clean_repository,
    github_repository_add,
    github_repository_delete,
    github_repository_named,
    github_repository_save,
    slack_channel_delete,
    slack_channel_save,
)

__all__ = [
    "CONDITIONS",
    "MAX_KEYWORDS",
    "clean_repository",
    "github_repository_add",
    "github_repository_delete",
    "github_repository_named",
    "github_repository_save",
    "routing_rule_delete",
    "routing_rule_save",
    "slack_channel_delete",
    "slack_channel_save",
]
