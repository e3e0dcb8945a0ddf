"""Demo data for notifications (called by `herodesk demo` after the rotations):
the latest hand-off report of each demo team, made as the worker would have
made it at the handoff instant. Loading twice changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import IO

from django.utils import timezone

from herodesk.notify import handoff
from herodesk.rotations import queries as rotations
from herodesk.teams.models import Team

LOOK_BACK = timedelta(days=8)


def load(out: IO[str]) -> None:
    now = timezone.now()
    made = 0
    for team in Team.objects.order_by("id"):
        changes = rotations.handoffs_between(team, now - LOOK_BACK, now)
        if not changes:
            continue
        instant, outgoing, incoming = changes[-1]
        made += handoff.make_report(team, instant, outgoing, incoming, now) is not None
    out.write(f"Hand-off reports: {made} made (the latest hand-off of each team).\n")
