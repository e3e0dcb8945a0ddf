"""Signal receivers: replies and bounces open gates; T1 escalations go to the CS owner."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from herodesk.domain.tiers import Tier
from herodesk.intake import signals as intake_signals
from herodesk.teams import access
from herodesk.tickets import signals as ticket_signals
from herodesk.tickets.models import Message, MessageKind, Ticket


@receiver(ticket_signals.message_added, dispatch_uid="playbooks.reply")
def on_message_added(sender: Any, ticket: Ticket, message: Message, **kwargs: Any) -> None:
    """A mail on a ticket may be the reply a wait-for-reply gate waits for."""
    if message.kind == MessageKind.REQUESTER and (message.metadata or {}).get("email"):
        # lazy: the playbook actions (app review, email checks) load with the first
        # event they handle, not at every start-up (`herodesk who`).
        from herodesk.playbooks import actions

        actions.reply_received(message)


@receiver(intake_signals.bounce_received, dispatch_uid="playbooks.bounce")
def on_bounce(sender: Any, bounce: Any, **kwargs: Any) -> Ticket | None:
    """A bounce of a playbook email opens its bounce check; answer with the ticket."""
    from herodesk.playbooks import actions  # lazy: as in on_message_added

    opened = actions.bounce_received(bounce)
    return opened[0].run.ticket if opened else None


@receiver(ticket_signals.ticket_created, dispatch_uid="playbooks.cs_owner")
def on_ticket_created(sender: Any, ticket: Ticket, **kwargs: Any) -> None:
    """A CS escalation (T1) is assigned to the organization's CS owner by default."""
    if ticket.tier != Tier.CS_ESCALATION or ticket.assignee_id is not None:
        return
    requester = ticket.requester
    org = requester.organization if requester is not None else None
    owner = org.cs_owner if org is not None else None
    if owner is not None and owner.is_active and access.is_assignable(owner, ticket.team):
        from herodesk.tickets import actions as ticket_actions  # lazy: as in on_message_added

        ticket_actions.ticket_assign(
            ticket,
            owner,
            actor="system",
            note=f"Assigned to {org}'s Customer Success owner (default for T1 escalations).",
        )
