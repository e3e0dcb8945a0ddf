"""Writes to the notify app's own records: hand-off reports and SLA breaches.

(Outbox rows are infrastructure and are written by `outbox.py`.) Each write
is audited with the job or person that caused it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from herodesk.audit.log import record
from herodesk.notify.models import HandoffReport, SlaBreach
from herodesk.tickets.models import Ticket


@transaction.atomic
def handoff_report_create(
    team: Any,
    instant: datetime,
    *,
    outgoing: Any,
    incoming: Any,
    outgoing_username: str,
    incoming_username: str,
    now: datetime,
) -> HandoffReport:
    """The report of a rotation hand-off (IntegrityError when one exists for this instant)."""
    report = HandoffReport.objects.create(
        team=team,
        instant=instant,
        outgoing=outgoing,
        incoming=incoming,
        outgoing_username=outgoing_username,
        incoming_username=incoming_username,
        created_at=now,
    )
    record(
        "scheduler",
        "handoff.reported",
        report,
        after={"team": team.slug, "outgoing": outgoing_username, "incoming": incoming_username},
        at=now,
    )
    return report


@transaction.atomic
def handoff_report_fill(report: HandoffReport, items: Any, moved: Any) -> HandoffReport:
    """The items the outgoing hero handed over and the tickets that moved."""
    report.items, report.moved = items, moved
    report.save(update_fields=["items", "moved"])
    return report


@transaction.atomic
def sla_breach_record(ticket: Ticket, now: datetime) -> SlaBreach:
    """A running clock passed its 'too late' time (IntegrityError when recorded before)."""
    assert ticket.sla_started_at is not None and ticket.late_after is not None
    breach = SlaBreach.objects.create(
        ticket=ticket,
        team=ticket.team,
        tier=ticket.tier,
        clock=ticket.sla_kind,
        clock_started_at=ticket.sla_started_at,
        late_after=ticket.late_after,
        recorded_at=now,
    )
    record(
        "scheduler",
        "sla.breached",
        breach,
        after={"clock": ticket.sla_kind, "late_after": ticket.late_after.isoformat()},
        ticket=ticket,
        at=now,
    )
    return breach
