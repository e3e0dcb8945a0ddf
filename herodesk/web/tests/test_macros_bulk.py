"""Macros (placeholders, validation, audit) and bulk actions from the queue."""

from __future__ import annotations

from typing import Any

import pytest

from herodesk.audit.models import Event
from herodesk.lib.errors import Invalid
from herodesk.tickets import actions, macros
from herodesk.tickets.actions import bulk
from herodesk.tickets.models import Macro, Status, Ticket

pytestmark = pytest.mark.django_db


def test_placeholders_are_filled_from_the_ticket_and_the_agent(
    ticket_factory: Any, hero: Any
) -> None:
    t = ticket_factory(subject="Exports fail")
    text = macros.render(
        "Hey {{ requester.first_name }} from {{organization.name}}: "
        "#{{ ticket.id }} {{ ticket.subject }} — {{ agent.first_name }}",
        t,
        hero,
    )
    assert text == f"Hey Ana from Acme: #{t.pk} Exports fail — Hera"


def test_missing_requester_falls_back_to_there(team: Any, hero: Any) -> None:
    from herodesk.web.tests.conftest import make_ticket

    t = make_ticket(team, None)
    assert macros.render("Hey {{ requester.first_name }},", t, hero) == "Hey there,"


def test_unknown_and_dangerous_placeholders_are_refused_and_never_evaluated(
    team: Any, lead: Any, ticket_factory: Any
) -> None:
    with pytest.raises(Invalid) as exc:
        actions.macro_create(team=team, name="Bad", body="{{ ticket.__class__ }}", actor=lead)
    assert exc.value.field == "body"
    t = ticket_factory()
    assert macros.render("{{ settings.SECRET_KEY }}", t, lead) == "{{ settings.SECRET_KEY }}"
    assert macros.render("{% load static %}", t, lead) == "{% load static %}"


def test_macro_writes_are_audited_and_names_unique_per_team(team: Any, lead: Any) -> None:
    m = actions.macro_create(
        team=team, name="Thanks", body="Hey {{ requester.first_name }}", actor=lead
    )
    with pytest.raises(Invalid) as exc:
        actions.macro_create(team=team, name="Thanks", body="again", actor=lead)
    assert exc.value.field == "name"
    actions.macro_update(m, actor=lead, name="Thanks!", body="Hi {{ requester.first_name }}")
    actions.macro_delete(Macro.objects.get(pk=m.pk), actor=lead)
    done = list(Event.objects.filter(object_type="tickets.macro").values_list("action", flat=True))
    assert done == ["macro.created", "macro.updated", "macro.deleted"]


def test_team_macros_come_before_the_global_ones(team: Any, other_team: Any, lead: Any) -> None:
    mine = actions.macro_create(team=team, name="Pipeline FAQ", body="x", actor=lead)
    actions.macro_create(team=other_team, name="Monitoring FAQ", body="y", actor=lead)
    offered = macros.macros_for(team)
    assert offered[0] == mine
    assert "Monitoring FAQ" not in [m.name for m in offered]
    assert "Self-hosted redirect" in [m.name for m in offered]  # the seeded policy


def test_bulk_close_closes_t5_without_a_reply_and_skips_the_rest(
    team: Any, hero: Any, free_requester: Any, paying_requester: Any
) -> None:
    from herodesk.web.tests.conftest import make_ticket

    low = [make_ticket(team, free_requester) for _ in range(2)]
    normal = make_ticket(team, paying_requester)
    result = bulk.tickets_bulk_close([*low, normal.pk], hero)
    assert sorted(result.done) == sorted(t.pk for t in low)
    assert result.skipped[0][0] == normal.pk and "only T5" in result.skipped[0][1]
    assert set(Ticket.objects.filter(pk__in=result.done).values_list("status", flat=True)) == {
        Status.CLOSED
    }
    assert not Ticket.objects.get(pk=low[0].pk).messages.filter(kind="public").exists()
    assert Event.objects.filter(ticket=low[0], action="ticket.status").count() == 2
    assert Ticket.objects.get(pk=normal.pk).status == Status.NEW


def test_bulk_actions_skip_tickets_of_teams_the_actor_is_not_on(
    other_team: Any, hero: Any, free_requester: Any
) -> None:
    from herodesk.web.tests.conftest import make_ticket

    theirs = make_ticket(other_team, free_requester)
    result = bulk.tickets_bulk_close([theirs], hero)
    assert result.done == [] and "Monitoring" in result.skipped[0][1]
    assert Ticket.objects.get(pk=theirs.pk).status == Status.NEW


def test_bulk_assign_assigns_every_ticket_and_audits_each(
    ticket_factory: Any, hero: Any, teammate: Any
) -> None:
    tickets = [ticket_factory() for _ in range(3)]
    result = bulk.tickets_bulk_assign(tickets, teammate, hero)
    assert len(result.done) == 3
    assert set(
        Ticket.objects.filter(pk__in=result.done).values_list("assignee__username", flat=True)
    ) == {"tim"}
    assert Event.objects.filter(action="ticket.assigned").count() == 3


def test_bulk_refuses_empty_and_oversized_selections(hero: Any) -> None:
    with pytest.raises(Invalid):
        bulk.tickets_bulk_close([], hero)
    with pytest.raises(Invalid):
        bulk.tickets_bulk_close(list(range(1, bulk.MAX_BULK + 2)), hero)
