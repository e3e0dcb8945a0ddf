"""The "Looking into it" follow-up (handbook: "It may take a little while… I'll
get back to you"): replying with a follow-up macro sets Ticket.follow_up_at
(one working day later by default); the next public reply clears it. When it
comes due with no reply, the person who promised is reminded once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from herodesk.notify import common, notices, slack
from herodesk.notify.models import Delivery
from herodesk.tickets.models import UNRESOLVED_STATUSES, Ticket

MAX_PER_RUN = 200
LATE = timedelta(days=7)  # older promises are not chased any more


def due(now: datetime) -> int:
    """Remind each author whose follow-up came due (once per promise)."""
    waiting = (
        Ticket.objects.filter(
            follow_up_at__lte=now,
            follow_up_at__gt=now - LATE,
            status__in=UNRESOLVED_STATUSES,
            follow_up_user__isnull=False,
        )
        .select_related("team", "follow_up_user__person", "requester")
        .order_by("follow_up_at")[:MAX_PER_RUN]
    )
    sent = 0
    for t in waiting:
        assert t.follow_up_at is not None
        key = f"follow_up:{t.pk}:{int(t.follow_up_at.timestamp())}"
        if Delivery.objects.filter(key__startswith=key + ":").exists():
            continue
        with transaction.atomic():
            sent += bool(_remind(t, key))
    return sent


def _remind(t: Ticket, key: str) -> bool:
    link = common.ticket_url(t)
    who = str(t.requester) if t.requester else "the requester"
    lines = [
        f"You told {who} you were looking into #{t.pk} “{t.subject}” and would get back "
        "to them. No public reply has gone out since.",
        "Send an update (even “still on it”), or hand it over if you can't.",
    ]
    return bool(
        notices.to_person(
            t.follow_up_user,
            key=key,
            kind="follow_up",
            ticket=t,
            team=t.team,
            subject=f"[HD#{t.pk}] Get back to {who}: {t.subject}",
            lines=lines,
            slack_text=f":hourglass: Get back to {slack.esc(who)} on "
            f"{slack.link(link, f'#{t.pk} {t.subject}')}: you said you were looking into it.",
            link=link,
        )
    )
