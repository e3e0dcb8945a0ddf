"""The Zendesk bridge: tickets and comments mirrored from Zendesk."""

from herodesk.lib.channels import ChannelSpec

SPEC = ChannelSpec(
    name="zendesk",
    label="Zendesk",
    icon="inbox",
    source_label="Zendesk ticket",
    handlers="herodesk.intake.zendesk.adapter",
    webhook="herodesk.intake.zendesk.hook",
)
