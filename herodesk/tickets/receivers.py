"""Receivers of lower layers' signals (connected in TicketsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from herodesk.teams.signals import calendar_changed
from herodesk.tickets.actions.clocks import tickets_recompute_clocks


@receiver(calendar_changed, dispatch_uid="tickets.calendar_changed")
def on_calendar_changed(sender: Any, team: Any, actor: Any = None, **kwargs: Any) -> int:
    """New targets or hours: move the running clocks; how many tickets moved."""
    return tickets_recompute_clocks(team, actor=actor)
