"""Slack deliveries → items.

Messages (configured channels only, intake.SlackChannel):
- support: every top-level message opens an item; replies in its thread are
  requester messages (from the requester or other non-staff) or mirrored public
  replies (from staff, matched by Person.slack_user_id);
- CS escalation: a message tagging an engineer opens a T1 item assigned to that
  hero, in the hero's team;
- community: a question gets the channel's redirect reply in its thread (via the
  notify outbox), never a ticket.
Bot messages, our own posts and edits/joins/etc. (subtypes) are ignored, so
nothing loops. Reactions live in herodesk.intake.slack.reactions.
ticket.metadata["slack"] = {"channel", "thread_ts", "team_id", "user"} tells
the notify app where to post replies.
"""

from __future__ import annotations

import json
from typing import Any

from herodesk.intake import items
from herodesk.intake.base import Failed, Ignored, Item
from herodesk.intake.models import Delivery, SlackChannel, SlackChannelKind
from herodesk.intake.slack import api, text
from herodesk.lib.errors import Conflict
from herodesk.notify import outbox
from herodesk.notify.models import Transport
from herodesk.teams.models import Person
from herodesk.tickets import actions
from herodesk.tickets.models import Channel, Ticket

ACTOR = "slack"
THREAD_CHANNELS = (Channel.SLACK, Channel.CS_ESCALATION)
HUMAN_SUBTYPES = {None, "thread_broadcast", "file_share"}
DEFAULT_REDIRECT = (
    "Hi! :wave: This channel is for the community, so we can't track support requests "
    "here. For help with your account or a bug, please use the bug button in the app "
    "(Help → Report a bug) so it reaches the right engineer, or ask the AI assistant in "
    "the app for an instant answer. Thank you!"
)


def parse(delivery: Delivery) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        data = json.loads(bytes(delivery.body))
    except (ValueError, UnicodeDecodeError) as exc:
        raise Failed(f"the stored body is not JSON: {exc}") from exc
    event = data.get("event") if isinstance(data, dict) else None
    if not isinstance(event, dict):
        raise Failed("the payload has no event object")
    return data, event


def own_users(data: dict[str, Any]) -> set[str]:
    """Our bot's user ids in this workspace (its posts must never become items)."""
    auths = data.get("authorizations") or []
    return {str(a.get("user_id")) for a in auths if isinstance(a, dict) and a.get("is_bot")}


def skip_automatic(data: dict[str, Any], event: dict[str, Any]) -> None:
    if event.get("bot_id") or event.get("subtype") == "bot_message":
        raise Ignored("a bot's message")
    if event.get("subtype") not in HUMAN_SUBTYPES:
        raise Ignored(f"message subtype {event.get('subtype')!r} is not a new message")
    if not event.get("user"):
        raise Ignored("a message without a user")
    if event["user"] in own_users(data):
        raise Ignored("our own post")


def staff(user_ids: list[str]) -> dict[str, Person]:
    people = Person.objects.filter(slack_user_id__in=user_ids).select_related("user")
    return {p.slack_user_id: p for p in people if p.user.is_active}


def display(raw: str) -> str:
    people = staff(text.mentions(raw))
    return text.plain(raw, {uid: p.display_name for uid, p in people.items()})


def permalink(channel: str, ts: str) -> str:
    return f"https://slack.com/archives/{channel}/p{ts.replace('.', '')}"


def slack_item(
    data: dict[str, Any], message: dict[str, Any], channel: str, *, kind: str, body: str = ""
) -> Item:
    """An Item for a thread root message (from an event or from conversations.replies)."""
    ts, user = str(message["ts"]), str(message.get("user") or "")
    name, email = api.profile(user)
    shown = display(str(message.get("text") or ""))
    return Item(
        channel=kind,
        subject=text.subject_from(shown, f"Slack message from {name or user}"),
        body=body or shown,
        original=str(message.get("text") or ""),
        external_ref=f"{channel}:{ts}",
        external_url=permalink(channel, ts),
        message_external_id=f"{channel}:{ts}",
        slack_user_id=user,
        email=email,
        name=name,
        slack_channel=channel,
        escalated=kind == Channel.CS_ESCALATION,
        metadata={
            "slack": {
                "channel": channel,
                "thread_ts": ts,
                "team_id": data.get("team_id", ""),
                "user": user,
            }
        },
    )


def support(data: dict[str, Any], event: dict[str, Any], config: SlackChannel) -> Ticket:
    item = slack_item(data, event, config.channel_id, kind=Channel.SLACK)
    return items.open_item(item, ACTOR)[0]


def escalation(data: dict[str, Any], event: dict[str, Any], config: SlackChannel) -> Ticket:
    tagged = [u for u in text.mentions(event.get("text") or "") if u != event["user"]]
    people = staff(tagged)
    heroes = [people[u] for u in tagged if u in people and people[u].kind == Person.ENGINEER]
    if not heroes:
        raise Ignored("no engineer tagged: an escalation needs an @mention of the hero")
    hero = heroes[0]
    membership = hero.memberships.select_related("team").order_by("id").first()
    item = slack_item(data, event, config.channel_id, kind=Channel.CS_ESCALATION)
    team = membership.team if membership else None
    return items.open_item(item, ACTOR, team=team, assignee=hero.user)[0]


def community(data: dict[str, Any], event: dict[str, Any], config: SlackChannel) -> None:
    if not text.looks_like_question(display(event.get("text") or "")):
        raise Ignored("not a question: no redirect needed")
    if not api.available():
        raise Failed("HERODESK_SLACK_BOT_TOKEN is not set: the community redirect cannot be posted")
    channel, ts = config.channel_id, str(event["ts"])
    outbox.enqueue(
        key=f"slack_redirect:{channel}:{ts}",
        transport=Transport.SLACK,
        kind="community_redirect",
        recipient=channel,
        payload={
            "channel": channel,
            "thread_ts": ts,
            "text": config.redirect_text or DEFAULT_REDIRECT,
        },
    )


def thread_reply(data: dict[str, Any], event: dict[str, Any], root: str) -> Ticket:
    channel, ts, user = str(event["channel"]), str(event["ts"]), str(event["user"])
    ticket = items.follow(
        Ticket.objects.filter(channel__in=THREAD_CHANNELS, external_ref=f"{channel}:{root}").first()
    )
    if ticket is None:
        raise Ignored("a reply in a thread that is not a ticket")
    external_id = f"{channel}:{ts}"
    if items.seen(ticket, external_id):
        return ticket
    body = display(event.get("text") or "") or "(empty message)"
    person = staff([user]).get(user)
    if person is not None and user != (ticket.metadata.get("slack") or {}).get("user"):
        try:
            actions.ticket_reply(
                ticket,
                author=person.user,
                body=body,
                metadata={"mirrored_from": "slack", "external_id": external_id},
            )
        except Conflict as exc:
            raise Ignored(str(exc)) from exc
        return ticket
    item = slack_item(data, event, channel, kind=ticket.channel)
    ticket, _message = actions.ticket_requester_message(
        ticket,
        body=body,
        actor=ACTOR,
        requester=items.requester_from(item),
        original=item.original,
        external_id=external_id,
        metadata={"slack": {"user": user}},
    )
    return ticket


KINDS = {
    SlackChannelKind.SUPPORT: support,
    SlackChannelKind.ESCALATION: escalation,
    SlackChannelKind.COMMUNITY: community,
}


def message(delivery: Delivery) -> Ticket | None:
    data, event = parse(delivery)
    skip_automatic(data, event)
    if not event.get("channel") or not event.get("ts"):
        raise Failed("the message event has no channel or ts")
    root = str(event.get("thread_ts") or event["ts"])
    if root != str(event["ts"]):
        return thread_reply(data, event, root)
    config = SlackChannel.objects.filter(channel_id=event["channel"]).first()
    if config is None:
        raise Ignored(f"channel {event['channel']} is not configured in HeroDesk")
    return KINDS[SlackChannelKind(config.kind)](data, event, config)
