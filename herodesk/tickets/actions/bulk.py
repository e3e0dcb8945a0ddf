"""Bulk actions from the queue (SPEC §4): each ticket goes through actions.py.

- `tickets_bulk_close`: T5 (low) tickets may be closed without a public
  reply (the handbook: "low priority tickets … can be closed without a
  public reply"). Others are skipped with the reason.
- `tickets_bulk_assign`: assign (or unassign) many tickets at once.

Each ticket is changed in its own savepoint inside one transaction, so a
ticket that changed under us (closed meanwhile, say) is skipped and reported
while the others go through. Every change is audited by the action itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from herodesk.domain.tiers import BULK_CLOSABLE, Tier
from herodesk.lib.errors import ActionError, Invalid
from herodesk.teams import access
from herodesk.tickets.actions.status import ticket_assign, ticket_set_status
from herodesk.tickets.models import Status, Ticket

MAX_BULK = 200


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        parts = [f"{len(self.done)} done"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return ", ".join(parts)


def _load(tickets: Iterable[Ticket | int]) -> list[Ticket]:
    ids = sorted({t if isinstance(t, int) else t.pk for t in tickets})
    if not ids:
        raise Invalid("select at least one ticket", field="tickets")
    if len(ids) > MAX_BULK:
        raise Invalid(f"at most {MAX_BULK} tickets at once", field="tickets")
    return list(Ticket.objects.filter(pk__in=ids).select_related("team").order_by("id"))


def _apply(
    rows: list[Ticket],
    actor: Any,
    why_not: Callable[[Ticket], str | None],
    change: Callable[[Ticket], None],
) -> BulkResult:
    result = BulkResult()
    with transaction.atomic():
        for ticket in rows:
            reason = why_not(ticket)
            if not reason and not access.can_write_ticket(actor, ticket):
                team = ticket.team.name if ticket.team_id and ticket.team else "unrouted"
                reason = f"only members of {team} can change it"
            if reason:
                result.skipped.append((ticket.pk, reason))
                continue
            try:
                with transaction.atomic():
                    change(ticket)
            except ActionError as exc:
                result.skipped.append((ticket.pk, exc.message))
            else:
                result.done.append(ticket.pk)
    return result


def tickets_bulk_close(
    tickets: Iterable[Ticket | int], actor: Any, at: datetime | None = None
) -> BulkResult:
    """Close T5 tickets without a public reply (solved, then closed: a later
    message from the requester opens a linked follow-up)."""
    at = at or timezone.now()

    def why_not(t: Ticket) -> str | None:
        if t.tier not in BULK_CLOSABLE:
            return (
                f"T{t.tier} {Tier(t.tier).label}: only T5 low tickets can be closed without a reply"
            )
        if t.status == Status.CLOSED:
            return "already closed"
        return None

    def change(t: Ticket) -> None:
        if t.status != Status.SOLVED:
            ticket_set_status(t, Status.SOLVED, actor=actor, at=at)
        ticket_set_status(t, Status.CLOSED, actor=actor, at=at)

    return _apply(_load(tickets), actor, why_not, change)


def tickets_bulk_assign(
    tickets: Iterable[Ticket | int], assignee: Any, actor: Any, at: datetime | None = None
) -> BulkResult:
    """Assign every ticket to `assignee` (None unassigns)."""
    at = at or timezone.now()
    if assignee is not None and not access.is_agent(assignee):
        raise Invalid(f"{assignee.get_username()} has no access to the desk", field="assignee")

    def why_not(t: Ticket) -> str | None:
        return "closed" if t.status == Status.CLOSED else None

    def change(t: Ticket) -> None:
        ticket_assign(t, assignee, actor=actor, at=at)

    return _apply(_load(tickets), actor, why_not, change)
