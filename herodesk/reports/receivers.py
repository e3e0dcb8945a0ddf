"""Receivers of lower layers' signals (connected in ReportsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from herodesk.notify.models import HandoffReport
from herodesk.notify.signals import handoff_reported


@receiver(handoff_reported, dispatch_uid="reports.digest")
def on_handoff(sender: Any, report: HandoffReport, **kwargs: Any) -> None:
    """A hand-off report queues the outgoing hero's weekly digest (inside its transaction)."""
    if report.outgoing_username:
        # lazy: the digest (report queries, exports, templates) loads with the
        # first hand-off, not at every start-up (`herodesk who`).
        from herodesk.reports.digest import digest_job

        digest_job.enqueue(report.pk)
