"""Receivers of lower layers' signals (connected in TicketsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from herodesk.customers.signals import requester_changed
from herodesk.teams.signals import calendar_changed
from herodesk.tickets.models import Ticket


@receiver(calendar_changed, dispatch_uid="tickets.calendar_changed")
def on_calendar_changed(sender: Any, team: Any, actor: Any = None, **kwargs: Any) -> int:
    """New targets or hours: move the running clocks; how many tickets moved."""
    # lazy: the ticket actions load on first use, not at every start-up (`herodesk who`).
    from herodesk.tickets.actions.clocks import tickets_recompute_clocks

    return tickets_recompute_clocks(team, actor=actor)


@receiver(requester_changed, dispatch_uid="tickets.requester_changed")
def on_requester_changed(sender: Any, requester: Any, **kwargs: Any) -> int:
    """A requester's name or organization is searchable: reindex their tickets."""
    from herodesk.tickets.actions.index import tickets_index_requester  # lazy: as above

    return tickets_index_requester(requester.pk)


@receiver(post_delete, sender=Ticket, dispatch_uid="tickets.unindex")
def on_ticket_deleted(sender: Any, instance: Ticket, **kwargs: Any) -> None:
    """A deleted ticket leaves the full-text index in the same transaction."""
    from herodesk.tickets.actions.index import tickets_unindex  # lazy: as above

    tickets_unindex([instance.pk])
