"""Running response clocks follow the team's current targets and hours (R4).

When a lead changes a tier's targets or the support hours, the clocks already
running get new due times in the same transaction; otherwise the queue shows
the old due time while the reply is graded with the new targets.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from herodesk.audit.log import record
from herodesk.tickets import clock
from herodesk.tickets.models import UNRESOLVED_STATUSES, Ticket

FIELDS = ("great_by", "due_by", "late_after", "sort_due")


@transaction.atomic
def tickets_recompute_clocks(team: Any, *, actor: Any) -> int:
    """Recompute the due times of every running clock of `team`; how many moved."""
    running = (
        Ticket.objects.select_for_update()
        .filter(team=team, status__in=UNRESOLVED_STATUSES, sla_started_at__isnull=False)
        .select_related("team")
        .order_by("id")
    )
    moved: list[Ticket] = []
    for ticket in running:
        before = tuple(getattr(ticket, f) for f in FIELDS)
        ticket.team = team  # the team as just saved (new targets, new hours)
        clock.recompute(ticket)
        if tuple(getattr(ticket, f) for f in FIELDS) != before:
            moved.append(ticket)
    if moved:
        Ticket.objects.bulk_update(moved, FIELDS)
        record(
            actor,
            "tickets.clocks_recomputed",
            team,
            after={"tickets": [t.pk for t in moved][:500], "count": len(moved)},
        )
    return len(moved)
