"""Hand-offs (SPEC §7) and shift notices (SPEC §1).

End of rotation — `run()` (a recurring job, every minute): for every rotation
hand-off (a turn ends; not the edges of a short cover, which get a notice from
notify.cover instead; see domain.schedule.handoffs) that has happened in the
last day and has no report yet, a report lists
every unresolved T0–T4 item of the team (open alerts plus T1–T4) with the
outgoing hero's latest internal note; items assigned to the outgoing hero move
to the incoming one; the report is kept, posted to the team channel, emailed
to both heroes, and the incoming hero gets a shift-start message. The unique
(team, instant) row makes this happen once whatever the number of workers.
It also sends the day-before reminder to whoever starts a shift tomorrow.

End of day — `notify_handoff()` (called by the UI's Hand-off action).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from herodesk.domain.tiers import HANDED_OFF_AT_ROTATION_END
from herodesk.lib.errors import Conflict, Invalid
from herodesk.notify import actions as notify_actions
from herodesk.notify import common, cover, notices, outbox, signals, slack
from herodesk.notify import email as mail
from herodesk.notify.models import Delivery, HandoffReport, Transport
from herodesk.rotations import queries as rotations
from herodesk.teams.models import Team
from herodesk.tickets import actions
from herodesk.tickets.models import UNRESOLVED_STATUSES, Message, MessageKind, Ticket
from herodesk.tickets.queries import QUEUE_ORDER

LOOKBACK = timedelta(hours=24)  # how late a missed hand-off is still made
REMIND_AHEAD = timedelta(hours=24)
REMIND_AT_LEAST = timedelta(hours=1)  # closer than this, the shift-start notice does it
SHIFT_NOTICE_LATE = timedelta(hours=1)
SLACK_ITEMS = 25
NOTE_CHARS = 4000
ACTOR = "handoff"


def run(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    made = reminded = covers = 0
    for team in Team.objects.order_by("id"):
        for change in rotations.changes_between(team, now - LOOKBACK, now + REMIND_AHEAD):
            instant, out_name, in_name = change.instant, change.outgoing, change.incoming
            if instant <= now and change.kind == "handoff":
                made += make_report(team, instant, out_name, in_name, now) is not None
            elif instant <= now:  # a cover's edge: a short notice, no report, no moves
                until = shift_end(team, instant, in_name) if in_name else None
                covers += cover.notify(team, change, until, now)
            elif in_name and change.kind != "cover_end" and instant - now >= REMIND_AT_LEAST:
                reminded += remind(team, instant, in_name)
    return {"reports": made, "reminders": reminded, "covers": covers}


def _users(*names: str | None) -> dict[str, Any]:
    wanted = [n for n in names if n]
    qs = get_user_model().objects.filter(username__in=wanted).select_related("person")
    return {u.get_username(): u for u in qs}


def make_report(
    team: Team, instant: datetime, out_name: str | None, in_name: str | None, now: datetime
) -> HandoffReport | None:
    """The hand-off at `instant`, once (None when it was made before)."""
    if HandoffReport.objects.filter(team=team, instant=instant).exists():
        return None
    users = _users(out_name, in_name)
    outgoing, incoming = users.get(out_name or ""), users.get(in_name or "")
    with transaction.atomic():
        try:
            with transaction.atomic():
                report = notify_actions.handoff_report_create(
                    team,
                    instant,
                    outgoing=outgoing,
                    incoming=incoming,
                    outgoing_username=out_name or "",
                    incoming_username=in_name or "",
                    now=now,
                )
        except IntegrityError:  # another worker made it
            return None
        items, moved = collect_and_move(team, outgoing, incoming, now)
        notify_actions.handoff_report_fill(report, items, moved)
        announce(report, now)
        signals.handoff_reported.send(HandoffReport, report=report, now=now)
    return report


def _note(ticket: Ticket) -> dict[str, Any] | None:
    body = getattr(ticket, "note_body", None)
    if not body:
        return None
    at = getattr(ticket, "note_at", None)
    return {"body": str(body)[:NOTE_CHARS], "at": at.isoformat() if at else None}


def unresolved(team: Team, outgoing: Any) -> list[Ticket]:
    """Unresolved T0–T4 items in queue order, with the outgoing hero's latest note."""
    qs = (
        Ticket.objects.filter(
            team=team, status__in=UNRESOLVED_STATUSES, tier__in=sorted(HANDED_OFF_AT_ROTATION_END)
        )
        .select_related("assignee")
        .order_by(*QUEUE_ORDER)
    )
    if outgoing is not None:
        notes = Message.objects.filter(
            ticket=OuterRef("pk"), kind=MessageKind.NOTE, author=outgoing
        ).order_by("-created_at", "-id")
        qs = qs.annotate(
            note_body=Subquery(notes.values("body")[:1]),
            note_at=Subquery(notes.values("created_at")[:1]),
        )
    return list(qs)


def collect_and_move(
    team: Team, outgoing: Any, incoming: Any, now: datetime
) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    moved = 0
    for t in unresolved(team, outgoing):
        previous = t.assignee.get_username() if t.assignee else None
        did_move = False
        if outgoing is not None and incoming is not None and t.assignee_id == outgoing.pk:
            try:
                actions.ticket_assign(t, incoming, actor=ACTOR, at=now)
                did_move = True
                moved += 1
            except (Conflict, Invalid):  # closed meanwhile, or the incoming hero left
                pass
        items.append(
            {
                "ticket": t.pk,
                "subject": t.subject,
                "tier": t.tier,
                "status": t.status,
                "channel": t.channel,
                "assignee": incoming.get_username() if did_move else previous,
                "previous_assignee": previous,
                "moved": did_move,
                "due_by": t.due_by.isoformat() if t.due_by else None,
                "url": common.ticket_url(t),
                "note": _note(t),
            }
        )
    return items, moved


def shift_end(team: Team, instant: datetime, username: str | None) -> datetime | None:
    horizon = instant + timedelta(days=31)
    shifts = rotations.final_schedule(team, instant, horizon)
    for s in shifts:
        if s.start <= instant < s.end and s.person == username:
            return s.end if s.end < horizon else None
    return None


def slack_report(report: HandoffReport, until: datetime | None) -> str:
    team, tz = report.team, common.zone(report.team.time_zone)
    incoming = slack.mention(report.incoming) if report.incoming else "nobody"
    head = (
        f":handshake: *Hand-off for {slack.esc(team.name)}* "
        f"({common.local(report.instant, tz)}): "
        f"{slack.mention(report.outgoing) if report.outgoing else 'nobody'} → {incoming}."
    )
    if report.incoming:
        head += f" {incoming} is Support Hero" + (
            f" until {common.local(until, tz)}." if until else "."
        )
    else:
        head += " Nobody is on call now: the schedule has a gap."
    lines = [head, f"{len(report.items)} unresolved item(s), {report.moved} moved."]
    for item in report.items[:SLACK_ITEMS]:
        note = item["note"]["body"] if item["note"] else ""
        label = "#{} {}".format(item["ticket"], item["subject"])
        line = (
            f"• {slack.link(item['url'], label)} "
            f"T{item['tier']} {item['status']}, {slack.esc(item['assignee'] or 'unassigned')}"
        )
        if note:
            line += f" — _{slack.esc(' '.join(note.split())[:200])}_"
        lines.append(line)
    url = common.handoff_url(team.slug, report.pk)
    rest = len(report.items) - SLACK_ITEMS
    lines.append(
        slack.link(url, f"…and {rest} more in the full report" if rest > 0 else "Full report")
    )
    return "\n".join(lines)


def _email_heroes(report: HandoffReport, until: datetime | None) -> None:
    team, url = report.team, common.handoff_url(report.team.slug, report.pk)
    out_name = common.name_of(report.outgoing) if report.outgoing else "nobody"
    in_name = common.name_of(report.incoming) if report.incoming else "nobody"
    for user, role in ((report.outgoing, "outgoing"), (report.incoming, "incoming")):
        if user is None or not user.email:
            continue
        tz = common.zone_of_user(user, team.time_zone)
        if role == "incoming":
            subject = f"You're Support Hero for {team.name}: hand-off from {out_name}"
            first = (
                f"You're Support Hero for {team.name} from {common.local(report.instant, tz)}"
                + (f" until {common.local(until, tz)}." if until else ".")
            )
        else:
            subject = f"Hand-off to {in_name} ({team.name})"
            first = f"Your shift as Support Hero for {team.name} ended; {in_name} takes over."
        outbox.enqueue(
            key=f"handoff_report:{report.pk}:{role}:email",
            transport=Transport.EMAIL,
            kind="handoff",
            recipient=user.email,
            team=team,
            payload=mail.staff_payload(
                user,
                subject,
                [
                    first,
                    f"{len(report.items)} unresolved item(s); {report.moved} moved to {in_name}.",
                ],
                link=url,
                template="handoff",
                extra={"items": report.items, "outgoing_name": out_name},
            ),
        )


def announce(report: HandoffReport, now: datetime) -> None:
    until = shift_end(report.team, report.instant, report.incoming_username or None)
    notices.to_channel(
        report.team,
        key=f"handoff_report:{report.pk}",
        kind="handoff",
        text=slack_report(report, until),
    )
    _email_heroes(report, until)
    incoming = report.incoming
    if (
        incoming is not None
        and report.instant >= now - SHIFT_NOTICE_LATE
        and slack.enabled()
        and slack.user_id(incoming)
    ):
        tz = common.zone_of_user(incoming, report.team.time_zone)
        text = (
            f":superhero: Your Support Hero shift for {slack.esc(report.team.name)} starts "
            f"now" + (f" (until {common.local(until, tz)})" if until else "") + ". "
            f"{len(report.items)} unresolved item(s): "
            f"{slack.link(common.handoff_url(report.team.slug, report.pk), 'hand-off report')}"
        )
        outbox.enqueue(
            key=f"shift_start:{report.pk}:dm",
            transport=Transport.SLACK,
            kind="shift_start",
            recipient=slack.user_id(incoming),
            team=report.team,
            payload={"channel": slack.user_id(incoming), "text": text},
        )


def remind(team: Team, instant: datetime, username: str) -> int:
    """The day-before reminder for the shift starting at `instant` (once)."""
    key = f"shift_reminder:{team.pk}:{int(instant.timestamp())}:{username}"
    if Delivery.objects.filter(key__startswith=key + ":").exists():
        return 0
    user = _users(username).get(username)
    if user is None:
        return 0
    until = shift_end(team, instant, username)
    tz = common.zone_of_user(user, team.time_zone)
    when = common.local(instant, tz) + (f" until {common.local(until, tz)}" if until else "")
    with transaction.atomic():
        written = notices.to_person(
            user,
            key=key,
            kind="shift_reminder",
            team=team,
            subject=f"Reminder: you're Support Hero for {team.name} from "
            f"{common.local(instant, tz)}",
            lines=[
                f"Tomorrow you're Support Hero for {team.name}: {when}.",
                "Can't make it? Find someone to swap with in HeroDesk (an override for both "
                "shifts; the rotation order stays as it is).",
            ],
            slack_text=(
                f":calendar: Reminder: you're Support Hero for {slack.esc(team.name)} from {when}."
            ),
        )
    return 1 if written else 0


@transaction.atomic
def notify_handoff(ticket: Ticket, from_user: Any, to_user: Any, note: str = "") -> list[Delivery]:
    """End-of-day hand-off: tell `to_user` (email, plus a Slack DM when they have a
    Slack id) that `from_user` handed them `ticket`, with the note. Call it in
    the transaction of the reassignment: it replaces the plain "assigned" notice."""
    outbox.cancel(
        Delivery.objects.filter(
            ticket=ticket,
            kind="assigned",
            attempts=0,
            key__startswith=f"assigned:{ticket.pk}:{to_user.pk}:",
        )
    )
    tz = common.zone_of_user(to_user, ticket.team.time_zone if ticket.team else "UTC")
    due = f", due {common.local(ticket.due_by, tz)}" if ticket.due_by else ""
    link = common.ticket_url(ticket)
    by = common.name_of(from_user)
    lines = [
        f"{by} handed ticket #{ticket.pk} “{ticket.subject}” (T{ticket.tier} "
        f"{ticket.tier_label}{due}) over to you."
    ]
    if note.strip():
        lines.append(f"Their note: “{note.strip()}”")
    text = (
        f":baton_passing: {slack.mention(from_user)} handed you "
        f"{slack.link(link, f'#{ticket.pk} {ticket.subject}')} (T{ticket.tier}{due})"
    )
    if note.strip():
        text += f"\n> {slack.esc(' '.join(note.split()))}"
    return notices.to_person(
        to_user,
        key=f"handoff_ticket:{ticket.pk}:{to_user.pk}:{uuid.uuid4().hex[:12]}",
        kind="handoff",
        both=True,
        subject=f"[HD#{ticket.pk}] {by} handed you: {ticket.subject}",
        lines=lines,
        slack_text=text,
        link=link,
        ticket=ticket,
        team=ticket.team,
    )
