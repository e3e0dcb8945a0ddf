"""The in-app bug report channel (POST /api/v1/bug-reports)."""

from herodesk.lib.channels import ChannelSpec

SPEC = ChannelSpec(
    name="bug_report",
    label="In-app bug report",
    icon="bug",
    handlers="herodesk.intake.bugreport.adapter",
)
