"""The Sentry channel: issue alerts from Sentry's integration platform."""

from herodesk.domain.answer_paths import AnswerPath
from herodesk.domain.tiers import Tier
from herodesk.lib.channels import ChannelSpec, RoutingField

SPEC = ChannelSpec(
    name="sentry",
    label="Sentry",
    icon="alert",
    default_tier=Tier.ALERT,
    source_label="Sentry issue",
    handlers="herodesk.intake.sentry.adapter",
    webhook="herodesk.intake.sentry.hook",
    routing=(RoutingField("sentry_project", "Sentry project slug", "sentry_project"),),
    answer=AnswerPath.ALERT,
)
