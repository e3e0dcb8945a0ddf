"""The Slack channels: support threads and CS escalations (a Slack channel of kind escalation)."""

from herodesk.domain.answer_paths import AnswerPath
from herodesk.domain.tiers import Tier
from herodesk.lib.channels import ChannelSpec, RoutingField

_SLACK_ROUTING = (RoutingField("slack_channel", "Slack channel (name or id)", "slack_channel"),)

SPEC = ChannelSpec(
    name="slack",
    label="Slack",
    icon="hash",
    source_label="Slack thread",
    handlers="herodesk.intake.slack.handlers",
    webhook="herodesk.intake.slack.hook",
    routing=_SLACK_ROUTING,
    answer=AnswerPath.SLACK_THREAD,
)

# Items from a CS escalation channel: same adapter, their own channel and tier.
CS_ESCALATION = ChannelSpec(
    name="cs_escalation",
    label="CS escalation",
    icon="flag",
    default_tier=Tier.CS_ESCALATION,
    source_label="Slack thread",
    routing=_SLACK_ROUTING,
    answer=AnswerPath.SLACK_THREAD,
)
