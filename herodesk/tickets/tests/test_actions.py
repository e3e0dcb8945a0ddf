"""Ticket lifecycle and response clocks, in London support hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from herodesk.audit.models import Event
from herodesk.lib.errors import Conflict, Invalid
from herodesk.tickets import actions
from herodesk.tickets.models import Message, Status, Ticket

pytestmark = pytest.mark.django_db


def z(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def create(team, requester, at, **kw):
    return actions.ticket_create(
        subject="Funnel broken",
        body="Hi, the funnel is broken.",
        actor="test",
        team=team,
        requester=requester,
        created_at=at,
        channel=kw.pop("channel", "email"),
        **kw,
    )


def test_due_times_in_winter_london_hours(team, paying_requester):
    t = create(team, paying_requester, z(2026, 11, 23, 10, 0))  # Monday 10:00 GMT
    assert t.tier == 3 and t.status == Status.NEW
    assert t.great_by == z(2026, 11, 23, 10, 15)
    assert t.due_by == z(2026, 11, 23, 11, 0)
    assert t.late_after == z(2026, 11, 24, 10, 0)  # one working day later


def test_friday_evening_ticket_is_due_monday_morning(team, paying_requester):
    t = create(team, paying_requester, z(2026, 11, 27, 16, 55))  # Friday 16:55 GMT
    assert t.great_by == z(2026, 11, 30, 9, 10)
    assert t.due_by == z(2026, 11, 30, 9, 55)
    assert t.late_after == z(2026, 11, 30, 16, 55)


def test_summer_time_shifts_utc_due_times(team, paying_requester):
    t = create(team, paying_requester, z(2026, 7, 3, 15, 55))  # Friday 16:55 BST
    assert t.great_by == z(2026, 7, 6, 8, 10)  # Monday 09:10 BST


def test_christmas_and_boxing_day_substitute_are_skipped(team, paying_requester):
    t = create(team, paying_requester, z(2026, 12, 24, 16, 50))  # Thu 16:50
    # Fri 25 Christmas, weekend, Mon 28 = Boxing Day substitute → Tue 29.
    assert t.great_by == z(2026, 12, 29, 9, 5)


@pytest.mark.parametrize(
    ("minutes", "grade"), [(10, "great"), (30, "okay"), (120, "slow"), (60 * 9, "too_late")]
)
def test_first_reply_is_graded(team, paying_requester, hero, minutes, grade):
    at = z(2026, 11, 23, 9, 0)
    t = create(team, paying_requester, at)
    when = at + timedelta(minutes=minutes)
    if minutes > 8 * 60:
        when = z(2026, 11, 24, 10, 0)  # 9 working hours later
    actions.ticket_reply(t, author=hero, body="Hey Ana, on it.", at=when)
    t.refresh_from_db()
    assert t.first_response_at == when
    assert t.first_response_grade == grade
    assert t.status == Status.OPEN
    assert t.due_by is None and t.sla_kind == ""
    assert t.breached is (grade == "too_late")


def test_reply_on_closed_ticket_conflicts_and_writes_nothing(team, paying_requester, hero):
    t = create(team, paying_requester, z(2026, 11, 23, 9, 0))
    actions.ticket_reply(t, author=hero, body="Hey Ana, fixed.", at=z(2026, 11, 23, 9, 5))
    actions.ticket_set_status(t, Status.SOLVED, actor=hero, at=z(2026, 11, 23, 9, 6))
    actions.ticket_set_status(t, Status.CLOSED, actor=hero, at=z(2026, 11, 28, 9, 6))
    messages, events = Message.objects.count(), Event.objects.count()
    with pytest.raises(Conflict):
        actions.ticket_reply(t, author=hero, body="Hey again", at=z(2026, 11, 30, 9, 0))
    assert (Message.objects.count(), Event.objects.count()) == (messages, events)


def test_requester_reply_reopens_pending_and_starts_next_reply_clock(team, paying_requester, hero):
    t = create(team, paying_requester, z(2026, 11, 23, 9, 0))
    actions.ticket_reply(
        t,
        author=hero,
        body="Hey Ana, which browser?",
        at=z(2026, 11, 23, 9, 5),
        status=Status.PENDING,
    )
    t.refresh_from_db()
    assert t.status == Status.PENDING and not t.is_active
    t2, _msg = actions.ticket_requester_message(t, body="Firefox", at=z(2026, 11, 23, 14, 0))
    assert t2.pk == t.pk and t2.status == Status.OPEN and t2.is_active
    assert t2.sla_kind == "next_reply"
    assert t2.great_by == z(2026, 11, 23, 14, 15)
    assert t2.first_response_grade == "great"


def test_requester_reply_to_closed_ticket_opens_linked_follow_up(team, paying_requester, hero):
    t = create(team, paying_requester, z(2026, 11, 2, 9, 0))
    actions.ticket_reply(
        t, author=hero, body="Hey Ana, done.", at=z(2026, 11, 2, 9, 5), status=Status.SOLVED
    )
    closed = actions.tickets_close_solved(now=z(2026, 11, 10, 0, 0))
    assert closed == 1
    follow, _ = actions.ticket_requester_message(t, body="It broke again", at=z(2026, 11, 23, 9))
    assert follow.pk != t.pk and follow.follow_up_of_id == t.pk
    assert follow.status == Status.NEW and follow.team_id == team.pk
    assert follow.subject.startswith("Follow-up:")


def test_auto_close_waits_n_days(team, paying_requester, hero):
    t = create(team, paying_requester, z(2026, 11, 2, 9, 0))
    actions.ticket_reply(
        t, author=hero, body="Hey Ana", at=z(2026, 11, 2, 9, 5), status=Status.SOLVED
    )
    assert actions.tickets_close_solved(now=z(2026, 11, 5, 9, 0)) == 0
    assert actions.tickets_close_solved(now=z(2026, 11, 6, 9, 6)) == 1
    t.refresh_from_db()
    assert t.status == Status.CLOSED and t.closed_at == z(2026, 11, 6, 9, 6)


def test_paying_ticket_needs_public_reply_before_solved(
    team, paying_requester, free_requester, hero
):
    paid = create(team, paying_requester, z(2026, 11, 23, 9, 0))
    with pytest.raises(Conflict, match="public reply"):
        actions.ticket_set_status(paid, Status.SOLVED, actor=hero)
    free = create(team, free_requester, z(2026, 11, 23, 9, 0))
    assert free.tier == 5
    actions.ticket_set_status(free, Status.SOLVED, actor=hero)


def test_pending_pauses_the_clock(team, paying_requester, hero):
    t = create(team, paying_requester, z(2026, 11, 23, 10, 0))
    actions.ticket_set_status(t, Status.PENDING, actor=hero, at=z(2026, 11, 23, 10, 5))
    t2, _ = actions.ticket_requester_message(t, body="more info", at=z(2026, 11, 23, 11, 5))
    # One working hour paused pushes the first-response targets one hour later.
    assert t2.great_by == z(2026, 11, 23, 11, 15)
    assert t2.sla_kind == "first_response"


def test_invalid_transition_conflicts(team, paying_requester, hero):
    t = create(team, paying_requester, z(2026, 11, 23, 10, 0))
    with pytest.raises(Conflict):
        actions.ticket_set_status(t, Status.CLOSED, actor=hero)
    with pytest.raises(Invalid):
        actions.ticket_set_status(t, "archived", actor=hero)


def test_every_action_is_audited(team, paying_requester, hero, teammate):
    t = create(team, paying_requester, z(2026, 11, 23, 10, 0))
    actions.ticket_assign(t, hero, actor=hero)
    actions.ticket_note(t, author=hero, body="Looking at the ingestion logs")
    actions.ticket_reply(t, author=hero, body="Hey Ana, looking now.")
    actions.ticket_set_tier(t, 2, actor=hero)
    actions.ticket_assign(t, teammate, actor=hero, note="Handing to Tim, end of my day")
    names = list(Event.objects.filter(ticket=t).values_list("action", flat=True))
    assert names == [
        "ticket.created",
        "ticket.assigned",
        "ticket.noted",
        "ticket.replied",
        "ticket.tier",
        "ticket.assigned",
        "ticket.noted",
    ]
    last = Event.objects.filter(action="ticket.assigned").last()
    assert last.before == {"assignee": "hera"} and last.after["assignee"] == "tim"
    assert last.actor == hero


def test_bad_input_writes_nothing(team, paying_requester):
    with pytest.raises(Invalid):
        actions.ticket_create(subject="x", body="   ", actor="test", team=team)
    with pytest.raises(Invalid):
        actions.ticket_create(subject="  ", body="hello", actor="test", team=team)
    assert Ticket.objects.count() == 0 and Event.objects.count() == 0


def test_tier_derivation(team, big_requester, paying_requester, free_requester):
    assert create(team, big_requester, z(2026, 11, 23, 10)).tier == 2
    assert create(team, paying_requester, z(2026, 11, 23, 10)).tier == 3
    assert create(team, free_requester, z(2026, 11, 23, 10)).tier == 5
    assert create(team, None, z(2026, 11, 23, 10), channel="sentry").tier == 0
    assert create(team, big_requester, z(2026, 11, 23, 10), channel="github").tier == 4
    assert create(team, free_requester, z(2026, 11, 23, 10), escalated=True).tier == 1


def test_tier_override_recomputes_due_times(team, paying_requester, hero):
    team.sla_targets = {"2": {"great": 5, "okay": 30, "late": 240}}
    team.save()
    t = create(team, paying_requester, z(2026, 11, 23, 10, 0))
    t = actions.ticket_set_tier(t, 2, actor=hero)
    assert t.tier_overridden and t.great_by == z(2026, 11, 23, 10, 5)
    assert t.late_after == z(2026, 11, 23, 14, 0)
