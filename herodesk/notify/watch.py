"""Recurring checks on tickets: SLA warnings and breaches, pending follow-ups.

- SLA warning: a running (not paused) clock whose `due_by` falls within
  HERODESK_BREACHING_SOON_MINUTES → one post in the team channel, naming the
  assignee. Once per clock (key: ticket + clock start).
- Breach: a running clock past `late_after` → an SlaBreach row (for metrics)
  and one post. Breaches older than a day are recorded without a post.
- Pending follow-up: a pending ticket idle for HERODESK_PENDING_REMINDER_DAYS
  → a reminder to the assignee (else the team channel), once per idle spell.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from herodesk.notify import actions, common, notices, slack
from herodesk.notify.models import Delivery, SlaBreach
from herodesk.tickets.actions import tickets_close_solved
from herodesk.tickets.models import Status, Ticket

NOTIFY_BREACHES_WITHIN = timedelta(days=1)
MAX_PER_RUN = 500


def _running() -> Any:
    return Ticket.objects.filter(
        is_active=True, sla_started_at__isnull=False, sla_paused_at__isnull=True
    )


def _clock_key(ticket: Ticket) -> str:
    assert ticket.sla_started_at is not None
    return f"{ticket.pk}:{int(ticket.sla_started_at.timestamp())}"


def _ticket_link(ticket: Ticket) -> str:
    return slack.link(common.ticket_url(ticket), f"#{ticket.pk} {ticket.subject}")


def warn_text(ticket: Ticket, now: datetime) -> str:
    assert ticket.due_by is not None
    tz = common.zone(ticket.team.time_zone if ticket.team else None)
    clock = "first response" if ticket.sla_kind == "first_response" else "next reply"
    left = common.humanize_minutes(common.minutes_until(ticket.due_by, now))
    return (
        f":hourglass_flowing_sand: {_ticket_link(ticket)} "
        f"(T{ticket.tier}) needs a {clock} within {left} "
        f"(due {common.local(ticket.due_by, tz)}); "
        f"assignee: {slack.mention(ticket.assignee) if ticket.assignee else 'nobody'}"
    )


def breach_text(ticket: Ticket) -> str:
    clock = "first response" if ticket.sla_kind == "first_response" else "next reply"
    return (
        f":rotating_light: {_ticket_link(ticket)} "
        f"(T{ticket.tier}) breached its {clock} target; "
        f"assignee: {slack.mention(ticket.assignee) if ticket.assignee else 'nobody'}"
    )


def sla_warnings(now: datetime) -> int:
    window = now + timedelta(minutes=settings.HERODESK_BREACHING_SOON_MINUTES)
    due_soon = (
        _running()
        .filter(due_by__gt=now, due_by__lte=window, team__isnull=False)
        .exclude(team__slack_channel="")
        .select_related("team", "assignee__person")
        .order_by("due_by")[:MAX_PER_RUN]
    )
    if not slack.enabled():
        return 0
    sent = 0
    for t in due_soon:
        with transaction.atomic():
            sent += (
                notices.to_channel(
                    t.team,
                    key=f"sla_warning:{_clock_key(t)}",
                    kind="sla_warning",
                    text=warn_text(t, now),
                    ticket=t,
                )
                is not None
            )
    return sent


def sla_breaches(now: datetime) -> int:
    recorded = SlaBreach.objects.filter(
        ticket=OuterRef("pk"), clock_started_at=OuterRef("sla_started_at")
    )
    late = (
        _running()
        .filter(late_after__lte=now)
        .exclude(Exists(recorded))
        .select_related("team", "assignee__person")
        .order_by("late_after")[:MAX_PER_RUN]
    )
    count = 0
    for t in late:
        assert t.sla_started_at is not None and t.late_after is not None
        try:
            with transaction.atomic():
                actions.sla_breach_record(t, now)
                if t.late_after >= now - NOTIFY_BREACHES_WITHIN:
                    notices.to_channel(
                        t.team,
                        key=f"sla_breach:{_clock_key(t)}",
                        kind="sla_breach",
                        text=breach_text(t),
                        ticket=t,
                    )
        except IntegrityError:  # another worker recorded it first
            continue
        count += 1
    return count


def pending_reminders(now: datetime) -> int:
    days = settings.HERODESK_PENDING_REMINDER_DAYS
    idle = (
        Ticket.objects.filter(
            status=Status.PENDING,
            updated_at__lte=now - timedelta(days=days),
            updated_at__gt=now - timedelta(days=days + 7),
        )
        .select_related("team", "assignee__person", "requester")
        .order_by("updated_at")[:MAX_PER_RUN]
    )
    sent = 0
    for t in idle:
        key = f"pending_reminder:{t.pk}:{int(t.updated_at.timestamp())}"
        if Delivery.objects.filter(key__startswith=key + ":").exists():
            continue
        with transaction.atomic():
            sent += bool(_remind_pending(t, key, days))
    return sent


def _remind_pending(t: Ticket, key: str, days: int) -> bool:
    link = common.ticket_url(t)
    who = str(t.requester) if t.requester else "the requester"
    lines = [
        f"Ticket #{t.pk} “{t.subject}” has been pending for {days} days with no answer from {who}.",
        "Follow up with them, or solve it if there is nothing left to do.",
    ]
    text = (
        f":bell: {slack.link(link, f'#{t.pk} {t.subject}')} has waited on "
        f"{slack.esc(who)} for {days} days: follow up or solve it"
    )
    if t.assignee is not None:
        return bool(
            notices.to_person(
                t.assignee,
                key=key,
                kind="pending_reminder",
                ticket=t,
                team=t.team,
                subject=f"[HD#{t.pk}] Follow up: {t.subject}",
                lines=lines,
                slack_text=text,
                link=link,
            )
        )
    return (
        notices.to_channel(t.team, key=key, kind="pending_reminder", text=text, ticket=t)
        is not None
    )


def close_solved(now: datetime) -> int:
    return tickets_close_solved(now)
