"""The email channel: mail to the support address (SMTP server or the raw-MIME API)."""

from herodesk.lib.channels import ChannelSpec

SPEC = ChannelSpec(
    name="email",
    label="Email",
    icon="mail",
    handlers="herodesk.intake.email.adapter",
)
