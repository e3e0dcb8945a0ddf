"""The only writers of the intake app: routing rules (`rules.py`) and what
intake listens to — Slack channels and GitHub repositories (`sources.py`)."""

from herodesk.intake.actions.rules import (
    CONDITIONS,
    DEFAULT_POSITION,
    MAX_CONDITIONS,
    MAX_KEYWORDS,
    MAX_POSITION,
    MAX_VALUE,
    clean_conditions,
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
    "DEFAULT_POSITION",
    "MAX_CONDITIONS",
    "MAX_KEYWORDS",
    "MAX_POSITION",
    "MAX_VALUE",
    "clean_conditions",
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
