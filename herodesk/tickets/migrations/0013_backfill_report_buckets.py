"""Backfill what reports read since 0012 (SPEC §10).

- Each ticket's calendar first-response minutes and the value buckets of its
  figures (`domain.reports.bucket`).
- Reopenings, from the audit log: every status change from solved back to
  new/open/pending, with the solve it ended.
- Next replies (count and working minutes), recomputed from the messages and
  the solves in the audit log with `domain.reports.responses`; pauses are not
  known for old rows (as in 0006), so none are subtracted.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import migrations
from django.db.models import Count, Q

from herodesk.domain import reports as d
from herodesk.domain import sla
from herodesk.domain.business_hours import Calendar, CalendarError

BATCH = 2000
WEEKDAY_HOURS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
UNRESOLVED = ("new", "open", "pending")
RESOLVED = ("solved", "closed")


def _calendar(team: Any, cache: dict[Any, Calendar]) -> Calendar:
    key = team.pk if team is not None else None
    if key not in cache:
        try:
            cache[key] = (
                Calendar.from_spec(settings.HERODESK_DEFAULT_TIME_ZONE, WEEKDAY_HOURS)
                if team is None
                else Calendar.from_spec(
                    team.time_zone,
                    team.hours,
                    team.holiday_country or None,
                    team.holiday_subdiv or None,
                )
            )
        except CalendarError:  # a calendar the desk would refuse: weekday hours
            cache[key] = Calendar.from_spec(getattr(team, "time_zone", "") or "UTC", WEEKDAY_HOURS)
    return cache[key]


def buckets(apps: Any, schema_editor: Any) -> None:
    Ticket = apps.get_model("tickets", "Ticket")
    todo = Ticket.objects.filter(
        Q(first_response_minutes__isnull=False) | Q(resolution_minutes__isnull=False)
    )
    last = 0
    while True:
        batch = list(
            todo.filter(pk__gt=last)
            .order_by("pk")
            .only(
                "pk",
                "created_at",
                "first_response_at",
                "first_response_minutes",
                "solved_at",
                "resolution_minutes",
            )[:BATCH]
        )
        if not batch:
            return
        for t in batch:
            if t.first_response_at is not None:
                t.first_response_calendar_minutes = d.calendar_minutes(
                    t.created_at, t.first_response_at
                )
            t.first_response_bucket = d.bucket(t.first_response_minutes)
            t.first_response_calendar_bucket = d.bucket(t.first_response_calendar_minutes)
            t.resolution_bucket = d.bucket(t.resolution_minutes if t.solved_at else None)
        Ticket.objects.bulk_update(
            batch,
            [
                "first_response_calendar_minutes",
                "first_response_bucket",
                "first_response_calendar_bucket",
                "resolution_bucket",
            ],
        )
        last = batch[-1].pk


def _status_changes(Event: Any, ticket_ids: Any = None) -> dict[int, list[tuple[datetime, str, str]]]:
    """(at, before, after) status changes per ticket, in order, from the audit log."""
    events = Event.objects.filter(ticket__isnull=False, after__has_key="status")
    if ticket_ids is not None:
        events = events.filter(ticket_id__in=ticket_ids)
    out: dict[int, list[tuple[datetime, str, str]]] = defaultdict(list)
    rows = events.order_by("ticket_id", "created_at", "id").values_list(
        "ticket_id", "created_at", "before", "after"
    )
    for ticket_id, at, before, after in rows.iterator(chunk_size=BATCH):
        status = (after or {}).get("status")
        if isinstance(status, str):
            was = (before or {}).get("status")
            out[ticket_id].append((at, was if isinstance(was, str) else "", status))
    return out


def reopenings(apps: Any, schema_editor: Any) -> None:
    Event = apps.get_model("audit", "Event")
    Reopening = apps.get_model("tickets", "Reopening")
    rows = []
    for ticket_id, changes in _status_changes(Event).items():
        solved: datetime | None = None
        for at, _, status in changes:
            if status == "solved":
                solved = at
            elif status in UNRESOLVED and solved is not None:
                rows.append(Reopening(ticket_id=ticket_id, resolved_at=solved, reopened_at=at))
                solved = None
            elif status == "closed":
                solved = None
    Reopening.objects.bulk_create(rows, batch_size=BATCH)


def conversation_events(Message: Any, Event: Any, ticket_ids: list[int]) -> dict[int, list[d.Event]]:
    """Per ticket, what moves its response clock (`domain.reports.responses`):
    requester messages and public replies, and the solves/closes in the audit log."""
    events: dict[int, list[d.Event]] = defaultdict(list)
    for ticket_id, kind, at in Message.objects.filter(
        ticket_id__in=ticket_ids, kind__in=("requester", "public")
    ).values_list("ticket_id", "kind", "created_at"):
        events[ticket_id].append(d.Event(at, "requester" if kind == "requester" else "reply"))
    for ticket_id, changes in _status_changes(Event, ticket_ids).items():
        events[ticket_id].extend(
            d.Event(at, "resolved") for at, _, status in changes if status in RESOLVED
        )
    return events


def next_replies(apps: Any, schema_editor: Any) -> None:
    Ticket = apps.get_model("tickets", "Ticket")
    Team = apps.get_model("teams", "Team")
    Message = apps.get_model("tickets", "Message")
    Event = apps.get_model("audit", "Event")
    teams = {t.pk: t for t in Team.objects.all()}
    cache: dict[Any, Calendar] = {}
    targets = sla.Targets()  # grades are not stored: any targets do
    ids = list(
        Message.objects.filter(kind="public")
        .values("ticket_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .values_list("ticket_id", flat=True)
    )
    for i in range(0, len(ids), BATCH):
        chunk = ids[i : i + BATCH]
        events = conversation_events(Message, Event, chunk)
        tickets = list(Ticket.objects.filter(pk__in=chunk).only("pk", "team_id"))
        for t in tickets:
            cal = _calendar(teams.get(t.team_id), cache)
            later = [
                r
                for r in d.responses(cal, events.get(t.pk, []), targets)
                if r.kind == "next_reply"
            ]
            t.next_replies = len(later)
            t.next_reply_minutes = sum(r.working_minutes for r in later)
        Ticket.objects.bulk_update(tickets, ["next_replies", "next_reply_minutes"])


class Migration(migrations.Migration):
    dependencies = [("tickets", "0012_report_buckets"), ("audit", "0001_initial"), ("teams", "0001_initial")]

    operations = [
        migrations.RunPython(buckets, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(reopenings, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(next_replies, migrations.RunPython.noop, elidable=True),
    ]
