"""Ticket signals → outbox rows, inside the transaction of the change.

- created: an acknowledgement email to T2/T3 requesters on email-ish channels
  (never T5), and a post in the team's support channel.
- public reply: one email per window (HERODESK_EMAIL_COMBINE_SECONDS) for
  email tickets that are not T5; a post in the originating Slack thread for
  Slack tickets.
- assigned by someone else: a notice to the new assignee.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.dispatch import receiver
from django.utils import timezone

from herodesk.domain.tiers import ACKNOWLEDGED, Tier
from herodesk.notify import common, email, notices, outbox, slack
from herodesk.notify.models import Delivery, DeliveryStatus, Transport
from herodesk.tickets import signals
from herodesk.tickets.answer import answer_for
from herodesk.tickets.models import Message, MessageKind, Ticket

ACK_TIERS = ACKNOWLEDGED


def slack_thread(ticket: Ticket) -> tuple[str, str] | None:
    info = (ticket.metadata or {}).get("slack") or {}
    if isinstance(info, dict) and info.get("channel") and info.get("thread_ts"):
        return str(info["channel"]), str(info["thread_ts"])
    return None


def wants_ack(ticket: Ticket) -> bool:
    return (
        ticket.channel in common.EMAIL_CHANNELS
        and Tier(ticket.tier) in ACK_TIERS
        and ticket.requester is not None
        and bool(ticket.requester.email)
    )


def ticket_created_text(ticket: Ticket) -> str:
    who = ticket.requester
    org = who.organization.name if who and who.organization else ""
    source = f" from {slack.esc(who)}" + (f" ({slack.esc(org)})" if org else "") if who else ""
    return (
        f":ticket: New T{ticket.tier} {slack.esc(ticket.tier_label.lower())} "
        f"{ticket.get_channel_display().lower()} ticket{source}: "
        f"{slack.link(common.ticket_url(ticket), f'#{ticket.pk} {ticket.subject}')}"
    )


@receiver(signals.ticket_created, dispatch_uid="notify.ticket_created")
def on_ticket_created(sender: Any, ticket: Ticket, **kwargs: Any) -> None:
    if wants_ack(ticket):
        payload = email.ack_payload(ticket)
        if payload is not None:
            outbox.enqueue(
                key=f"ack:{ticket.pk}",
                transport=Transport.EMAIL,
                kind="ack",
                recipient=", ".join(payload["to"]),
                payload=payload,
                ticket=ticket,
                team=ticket.team,
            )
    origin = slack_thread(ticket)
    if ticket.team is not None and not (origin and origin[0] == ticket.team.slack_channel):
        notices.to_channel(
            ticket.team,
            key=f"ticket_created:{ticket.pk}",
            kind="ticket_created",
            text=ticket_created_text(ticket),
            ticket=ticket,
        )


def queue_reply(ticket: Ticket, message: Message, now: datetime) -> Delivery | None:
    """Add a public reply to the ticket's unsent reply email, or start one that
    leaves when the combine window closes."""
    row = (
        Delivery.objects.select_for_update()
        .filter(ticket=ticket, kind="reply", status=DeliveryStatus.PENDING)
        .order_by("-id")
        .first()
    )
    if row is not None:
        ids = [*row.payload.get("messages", []), message.pk]
        message_id = str(row.payload["headers"]["Message-ID"])
    else:
        ids, message_id = [message.pk], email.new_message_id()
    messages = list(
        Message.objects.filter(pk__in=ids).select_related("author").order_by("created_at", "id")
    )
    payload = email.reply_payload(ticket, messages, message_id)
    if payload is None:
        return None
    # lazy: the ticket actions load with the first reply mailed, not at every
    # start-up (this module is imported by NotifyConfig.ready; `herodesk who`).
    from herodesk.tickets import actions as ticket_actions

    ticket_actions.messages_set_external_id([message.pk], message_id)
    if row is not None:
        return outbox.replace_payload(row, payload, ", ".join(payload["to"]))
    window = timedelta(seconds=settings.HERODESK_EMAIL_COMBINE_SECONDS)
    return outbox.enqueue(
        key=f"reply:{ticket.pk}:{message.pk}",
        transport=Transport.EMAIL,
        kind="reply",
        recipient=", ".join(payload["to"]),
        payload=payload,
        ticket=ticket,
        team=ticket.team,
        send_at=now + window,
    )


def thread_reply_text(message: Message, ticket: Ticket) -> str:
    author = common.name_of(message.author) if message.author else email.sender()[0]
    team = f" ({ticket.team.name})" if ticket.team else ""
    return f"*{slack.esc(author)}*{slack.esc(team)}\n{slack.esc(message.body)}"


@receiver(signals.message_added, dispatch_uid="notify.message_added")
def on_message_added(sender: Any, ticket: Ticket, message: Message, **kwargs: Any) -> None:
    """A public reply leaves the way its channel answers (decided by the reply
    action, kept in `message.metadata["answer"]`): email, Slack thread or
    GitHub comment; nothing for T5 or for replies mirrored from the source."""
    if message.kind != MessageKind.PUBLIC:
        return
    meta = message.metadata or {}
    if meta.get("mirrored_from"):  # already said on Slack/GitHub
        return
    route = meta.get("answer") or {}
    transport = route.get("transport") if isinstance(route, dict) else None
    if transport is None:
        transport = str(answer_for(ticket).transport)
    if transport == "email":
        queue_reply(ticket, message, message.created_at or timezone.now())
    elif transport == "slack":
        _thread_reply(ticket, message)
    elif transport == "github":
        _github_comment(ticket, message)


def _thread_reply(ticket: Ticket, message: Message) -> None:
    origin = slack_thread(ticket)
    if origin is None:
        return
    channel, thread_ts = origin
    outbox.enqueue(
        key=f"thread_reply:{message.pk}",
        transport=Transport.SLACK,
        kind="thread_reply",
        recipient=channel,
        payload={
            "channel": channel,
            "thread_ts": thread_ts,
            "text": thread_reply_text(message, ticket),
            "messages": [message.pk],
        },
        ticket=ticket,
        team=ticket.team,
    )


def _github_comment(ticket: Ticket, message: Message) -> None:
    info = (ticket.metadata or {}).get("github") or {}
    author = common.name_of(message.author) if message.author else email.sender()[0]
    team = f", {ticket.team.name}" if ticket.team else ""
    outbox.enqueue(
        key=f"github_comment:{message.pk}",
        transport=Transport.GITHUB,
        kind="github_comment",
        recipient=f"{info.get('repository')}#{info.get('number')}",
        payload={
            "repository": str(info.get("repository") or ""),
            "number": int(info.get("number") or 0),
            "body": f"{message.body.strip()}\n\n— {author}{team}",
            "messages": [message.pk],
        },
        ticket=ticket,
        team=ticket.team,
    )


@receiver(signals.assignee_changed, dispatch_uid="notify.assignee_changed")
def on_assignee_changed(
    sender: Any, ticket: Ticket, after: Any = None, actor: Any = None, **kwargs: Any
) -> None:
    """Someone else gave you a ticket. (Jobs and hand-offs send their own notices.)"""
    if after is None or not isinstance(actor, AbstractBaseUser) or actor.pk == after.pk:
        return
    link = common.ticket_url(ticket)
    text = (
        f"{slack.mention(actor)} assigned you "
        f"{slack.link(link, f'#{ticket.pk} {ticket.subject}')} (T{ticket.tier})"
    )
    notices.to_person(
        after,
        key=f"assigned:{ticket.pk}:{after.pk}:{uuid.uuid4().hex[:12]}",
        kind="assigned",
        subject=f"[HD#{ticket.pk}] {common.name_of(actor)} assigned you: {ticket.subject}",
        lines=[
            f"{common.name_of(actor)} assigned you ticket #{ticket.pk} “{ticket.subject}” "
            f"(T{ticket.tier} {ticket.tier_label})."
        ],
        slack_text=text,
        link=link,
        ticket=ticket,
        team=ticket.team,
    )


@receiver(signals.mentioned, dispatch_uid="notify.mentioned")
def on_mentioned(
    sender: Any, ticket: Ticket, message: Message, users: list[Any], **kw: Any
) -> None:
    """Staff @mentioned in a reply or note hear about it (same transaction)."""
    notices.notify_mention(ticket, message, users)
