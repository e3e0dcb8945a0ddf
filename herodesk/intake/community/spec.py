"""The community channel: questions asked at the end of docs pages (SPEC §9)."""

from herodesk.domain.tiers import Tier
from herodesk.lib.channels import ChannelSpec

SPEC = ChannelSpec(
    name="community",
    label="Community question",
    icon="chat",
    default_tier=Tier.COMMUNITY,
    source_label="Community question",
)
