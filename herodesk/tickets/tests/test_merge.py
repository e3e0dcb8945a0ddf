"""ticket_merge: messages move, the duplicate closes pointing at the survivor, audited."""

from __future__ import annotations

from typing import Any

import pytest

from herodesk.audit.models import Event
from herodesk.intake.items import find_item
from herodesk.lib.errors import Conflict, Invalid
from herodesk.tickets import actions
from herodesk.tickets.actions import ticket_merge
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def ticket(subject: str, requester: Any = None, **extra: Any) -> Ticket:
    return actions.ticket_create(
        subject=subject,
        body=f"{subject} body",
        actor="test",
        channel=extra.pop("channel", "email"),
        requester=requester,
        **extra,
    )


def test_merging_moves_messages_and_closes_the_duplicate(
    hero: Any, paying_requester: Any, big_requester: Any
) -> None:
    into = ticket("Export fails", paying_requester)
    dup = ticket("Export broken again", big_requester)
    survivor = ticket_merge(dup, into, actor=hero)
    dup.refresh_from_db()
    assert survivor.pk == into.pk
    assert dup.status == "closed" and dup.merged_into_id == into.pk
    bodies = [m.body for m in into.messages.order_by("created_at", "id")]
    assert bodies[:2] == ["Export fails body", "Export broken again body"]
    assert "Merged #" in bodies[2]
    assert dup.messages.get().body.startswith(f"Merged into #{into.pk}")
    assert Event.objects.filter(action="ticket.merged", object_id=str(dup.pk)).exists()
    assert Event.objects.filter(action="ticket.merged_in", object_id=str(into.pk)).exists()


def test_an_unanswered_duplicate_reopens_a_solved_survivor(hero: Any) -> None:
    into, dup = ticket("A"), ticket("B")
    actions.ticket_set_status(into, "solved", actor=hero, force=True)
    assert ticket_merge(dup, into, actor=hero).status == "open"


def test_later_deliveries_for_the_duplicates_issue_land_on_the_survivor(hero: Any) -> None:
    into = ticket("Crash", channel="sentry", external_ref="issue:1")
    dup = ticket("Crash again", channel="sentry", external_ref="issue:2")
    ticket_merge(dup, into, actor=hero)
    assert find_item("sentry", "issue:2") == into


def test_merge_refuses_itself_closed_and_chained_tickets(hero: Any) -> None:
    a, b, c = ticket("A"), ticket("B"), ticket("C")
    with pytest.raises(Invalid):
        ticket_merge(a, a, actor=hero)
    ticket_merge(b, a, actor=hero)
    with pytest.raises(Conflict, match="already merged"):
        ticket_merge(b, c, actor=hero)
    with pytest.raises(Conflict, match=f"merge into #{a.pk} instead"):
        ticket_merge(c, b, actor=hero)
    assert c.messages.count() == 1
