"""Slack reactions on messages (skin-tone suffixes tolerated: `eyes::skin-tone-3`).

- 🎫 `ticket`: turn the message's thread into an item (any channel the app is
  in; the thread is read with conversations.replies);
- ✅ `white_check_mark`: solve the thread's item;
- 👀 `eyes`: mark it in progress (open) and assign the person who reacted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from herodesk.intake import items
from herodesk.intake.base import Ignored
from herodesk.intake.models import Delivery, SlackChannel, SlackChannelKind
from herodesk.intake.slack import adapter, api
from herodesk.lib.errors import Conflict, Invalid
from herodesk.tickets import actions
from herodesk.tickets.models import Channel, Message, Status, Ticket

THREAD_SO_FAR = 20


def ticket_for(channel: str, ts: str) -> Ticket | None:
    """The item a Slack message belongs to (its thread root or any message in it)."""
    ref = f"{channel}:{ts}"
    ticket = Ticket.objects.filter(channel__in=adapter.THREAD_CHANNELS, external_ref=ref).first()
    if ticket is None:
        message = Message.objects.filter(external_id=ref).select_related("ticket").first()
        ticket = message.ticket if message is not None else None
    return items.follow(ticket)


def _existing(channel: str, ts: str, name: str) -> Ticket:
    ticket = ticket_for(channel, ts)
    if ticket is None:
        raise Ignored(f":{name}: on a message that is not a ticket")
    return ticket


def _actor(user: str) -> Any:
    person = adapter.staff([user]).get(user)
    return person.user if person is not None else f"slack:{user}"


def _thread_body(messages: list[dict[str, Any]]) -> str:
    root = adapter.display(str(messages[0].get("text") or ""))
    replies = [m for m in messages[1 : THREAD_SO_FAR + 1] if not m.get("bot_id")]
    if not replies:
        return root
    lines = [f"<@{m.get('user', '?')}>: {m.get('text') or ''}" for m in replies]
    return root + "\n\n— thread so far —\n" + adapter.display("\n".join(lines))


def make_ticket(data: dict[str, Any], event: dict[str, Any], channel: str, ts: str) -> Ticket:
    existing = ticket_for(channel, ts)
    if existing is not None:
        raise Ignored(f"already ticket #{existing.pk}")
    messages = api.thread(channel, ts)
    root = messages[0]
    config = SlackChannel.objects.filter(channel_id=channel).first()
    kind = (
        Channel.CS_ESCALATION
        if (config is not None and config.kind == SlackChannelKind.ESCALATION)
        else Channel.SLACK
    )
    item = adapter.slack_item(data, root, channel, kind=kind, body=_thread_body(messages))
    item.metadata["slack"]["ticketed_by"] = event.get("user", "")
    return items.open_item(item, adapter.ACTOR)[0]


def solve(data: dict[str, Any], event: dict[str, Any], channel: str, ts: str) -> Ticket:
    ticket = _existing(channel, ts, "white_check_mark")
    try:
        return actions.ticket_set_status(
            ticket, Status.SOLVED, actor=_actor(str(event.get("user"))), force=True
        )
    except Conflict as exc:
        raise Ignored(str(exc)) from exc


def take(data: dict[str, Any], event: dict[str, Any], channel: str, ts: str) -> Ticket:
    ticket = _existing(channel, ts, "eyes")
    if ticket.status == Status.CLOSED:
        raise Ignored(f"ticket #{ticket.pk} is closed")
    actor = _actor(str(event.get("user")))
    if ticket.status != Status.OPEN:
        ticket = actions.ticket_set_status(ticket, Status.OPEN, actor=actor, force=True)
    if isinstance(actor, str):  # not a HeroDesk person: in progress, but nobody to assign
        return ticket
    try:
        return actions.ticket_assign(ticket, actor, actor=actor)
    except (Conflict, Invalid) as exc:
        raise Ignored(str(exc)) from exc


REACTIONS: dict[str, Callable[[dict[str, Any], dict[str, Any], str, str], Ticket]] = {
    "ticket": make_ticket,
    "white_check_mark": solve,
    "heavy_check_mark": solve,
    "eyes": take,
}


def reaction_added(delivery: Delivery) -> Ticket:
    data, event = adapter.parse(delivery)
    name = str(event.get("reaction") or "").split("::")[0]
    handler = REACTIONS.get(name)
    if handler is None:
        raise Ignored(f"reaction :{name}: means nothing to HeroDesk")
    if str(event.get("user")) in adapter.own_users(data):
        raise Ignored("our own reaction")
    target = event.get("item") or {}
    if target.get("type") != "message" or not target.get("channel") or not target.get("ts"):
        raise Ignored("a reaction on something other than a message")
    return handler(data, event, str(target["channel"]), str(target["ts"]))
