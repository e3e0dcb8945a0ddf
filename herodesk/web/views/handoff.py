"""End-of-day hand-off (SPEC §7): people inside their working hours now (same
team first) → pick one → reassigned with a note, and they are notified."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from herodesk.domain import local_times
from herodesk.lib.errors import ActionError, Invalid
from herodesk.notify.handoff import notify_handoff
from herodesk.rotations.queries import team_people, time_off_by_person, working_now
from herodesk.teams import access
from herodesk.tickets import actions
from herodesk.web import people, ticket_page
from herodesk.web.views.common import desk_view, page

MAX_NOTE = 5000
# How far ahead the end of someone's working block is looked for.
LOOK_AHEAD = timedelta(days=2)
NEXT_UP_HORIZON = timedelta(days=14)


@dataclass(frozen=True)
class Candidate:
    """Someone who could take the ticket; times read in *their* zone."""

    user: Any
    name: str
    teams: list[Any]
    same_team: bool
    local_time: datetime
    until: datetime | None
    zone: str = "UTC"

    @property
    def local(self) -> str:
        """'17:45 in São Paulo, until 18:00' (their clock, not the viewer's)."""
        text = f"{local_times.hm(self.local_time, self.zone)} in {local_times.city(self.zone)}"
        if self.until is not None:
            text += f", until {local_times.hm(self.until, self.zone)}"
        return text


def candidates(ticket: Any, actor: Any, now: datetime) -> list[Candidate]:
    """Who could take the ticket now: working, not on time off, not the actor."""
    out = []
    for person, teams in working_now(now, ticket.team):
        if person.user_id == actor.pk:
            continue
        cal = person.calendar()
        horizon = now + LOOK_AHEAD
        block = next(iter(cal.working_intervals(now, horizon)), None)
        ends = block[1] if block is not None and block[1] < horizon else None
        out.append(
            Candidate(
                user=person.user,
                name=person.display_name,
                teams=teams,
                same_team=ticket.team_id is not None and any(t.pk == ticket.team_id for t in teams),
                local_time=now.astimezone(cal.tz),
                until=ends.astimezone(cal.tz) if ends else None,
                zone=cal.time_zone,
            )
        )
    return out


@dataclass(frozen=True)
class NextUp:
    user: Any
    name: str
    when: str  # 'Mon 09:00 São Paulo'


def next_up(ticket: Any, actor: Any, now: datetime) -> NextUp | None:
    """Nobody works now (a weekend): who is first back, time off skipped;
    the ticket's team first when two start at once."""
    people_ = [
        p for p, _teams in team_people(ticket.team) if p.user_id != actor.pk and p.user.is_active
    ]
    off = time_off_by_person([p.pk for p in people_], now, now + NEXT_UP_HORIZON)
    found = local_times.next_available(
        [(str(p.pk), p.calendar(), off.get(p.pk, [])) for p in people_], now, NEXT_UP_HORIZON
    )
    if found is None:
        return None
    person = next(p for p in people_ if str(p.pk) == found.key)
    return NextUp(person.user, person.display_name, found.describe())


def _default_note(ticket: Any) -> str:
    return "Handing this over at the end of my day. Where it stands: … What's left: …"


@desk_view
def handoff(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_page.load_ticket(pk)
    access.require_ticket_write(request.user, ticket)
    if request.method == "POST":
        try:
            return _hand_off(request, ticket)
        except ActionError as exc:
            messages.error(request, exc.message)
    now = timezone.now()
    return page(
        request,
        "web/handoff.html",
        {
            "ticket": ticket,
            "now": now,
            "candidates": (found := candidates(ticket, request.user, now)),
            "next_up": None if found else next_up(ticket, request.user, now),
            "note": request.POST.get("note") or "",
            "chosen": request.POST.get("to", ""),
            "placeholder": _default_note(ticket),
        },
    )


def _hand_off(request: HttpRequest, ticket: Any) -> HttpResponse:
    to = people.staff_user(request.POST.get("to", ""))
    if to is None:
        raise Invalid("Pick the person to hand the ticket to.", field="to")
    note = (request.POST.get("note") or "").replace("\r\n", "\n").strip()
    if not note:
        raise Invalid("Write a short note: where it stands and what's left.", field="note")
    if len(note) > MAX_NOTE:
        raise Invalid(f"The note is too long (at most {MAX_NOTE} characters).", field="note")
    if ticket.assignee_id == to.pk:
        raise Invalid(
            f"#{ticket.pk} is already assigned to {people.Staff(to, True).name}.", field="to"
        )
    name = people.Staff(to, True).name
    with transaction.atomic():
        moved = actions.ticket_hand_off(
            ticket, to, actor=request.user, note=f"Handed off to @{to.get_username()}: {note}"
        )
        told = bool(notify_handoff(moved, request.user, to, note))
    suffix = " They have been notified." if told else " (Notifications are off: tell them.)"
    if moved.team_id != ticket.team_id and moved.team is not None:
        suffix = f" It moved to {moved.team.name}'s queue with them." + suffix
    messages.success(request, f"Handed #{ticket.pk} to {name}.{suffix}")
    return redirect(reverse("ticket", args=[ticket.pk]))
