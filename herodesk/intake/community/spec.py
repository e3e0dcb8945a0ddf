"""The community channel: questions asked at the end of docs pages (SPEC §9)."""

from herodesk.domain.answer_paths import AnswerPath
from herodesk.domain.tiers import Tier
from herodesk.lib.channels import ChannelSpec, RoutingField

SPEC = ChannelSpec(
    name="community",
    label="Community question",
    icon="chat",
    default_tier=Tier.COMMUNITY,
    source_label="Community question",
    handlers="herodesk.intake.community.adapter",
    routing=(
        RoutingField(
            "page", "Docs page (path or glob: /docs/data-pipelines/*)", "page", ("glob", "equals")
        ),
        RoutingField("topic", "Community topic (slug)", "topic"),
    ),
    answer=AnswerPath.ON_PAGE,
)
