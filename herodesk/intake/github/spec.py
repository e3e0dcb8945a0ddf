"""The GitHub channel: issues and comments from repositories the desk watches."""

from herodesk.domain.answer_paths import AnswerPath
from herodesk.domain.tiers import Tier
from herodesk.lib.channels import ChannelSpec, RoutingField

SPEC = ChannelSpec(
    name="github",
    label="GitHub",
    icon="git",
    default_tier=Tier.COMMUNITY,
    source_label="GitHub issue",
    handlers="herodesk.intake.github.adapter",
    webhook="herodesk.intake.github.hook",
    routing=(RoutingField("repository", "Repository (owner/name)", "repository"),),
    answer=AnswerPath.GITHUB_COMMENT,
)
