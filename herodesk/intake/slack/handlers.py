"""EVENT_HANDLERS of the Slack channel: messages (adapter) and reactions (reactions)."""

from herodesk.intake.slack import adapter, reactions

EVENT_HANDLERS = {"message": adapter.message, "reaction_added": reactions.reaction_added}
