"""Zendesk deliveries → items mirroring Zendesk tickets (one item per Zendesk ticket).

Status and priority are mapped whatever their casing (`OPEN`, `Open`, `open`)
and ids may be strings or integers. Zendesk's status wins (it is the system
of record for these teams): statuses are set with force. Priority maps to a
tier: urgent/high → T2 high, normal → T3, low → T5.
"""

from __future__ import annotations

import json
from typing import Any

from herodesk.domain.tiers import Tier
from herodesk.intake import items
from herodesk.intake.base import Failed, Ignored, Item, Malformed, mapping
from herodesk.intake.models import Delivery
from herodesk.intake.zendesk.hook import ticket_of
from herodesk.lib.errors import Conflict
from herodesk.tickets import actions
from herodesk.tickets.models import Status, Ticket

CHANNEL = "zendesk"
ACTOR = "zendesk"
STATUSES = {
    "new": Status.NEW,
    "open": Status.OPEN,
    "pending": Status.PENDING,
    "hold": Status.PENDING,
    "on-hold": Status.PENDING,
    "on_hold": Status.PENDING,
    "solved": Status.SOLVED,
    "closed": Status.CLOSED,
}
PRIORITY_TIERS = {"urgent": Tier.HIGH, "high": Tier.HIGH, "normal": Tier.NORMAL, "low": Tier.LOW}


def parse(delivery: Delivery) -> tuple[dict[str, Any], dict[str, Any]]:
    """(payload, ticket fields) of a stored delivery."""
    try:
        payload = json.loads(bytes(delivery.body))
        _kind, ticket = ticket_of(payload)
    except (ValueError, UnicodeDecodeError, Malformed) as exc:
        raise Failed(f"unreadable Zendesk payload: {exc}") from exc
    return payload, ticket


def word(value: Any) -> str:
    return str(value or "").strip().lower()


def status_of(ticket: dict[str, Any]) -> str | None:
    return STATUSES.get(word(ticket.get("status")))


def tier_of(ticket: dict[str, Any]) -> int | None:
    tier = PRIORITY_TIERS.get(word(ticket.get("priority")))
    return int(tier) if tier is not None else None


def _organization(zd: dict[str, Any]) -> str:
    org = zd.get("organization")
    return str(org.get("name") if isinstance(org, dict) else org or "")


def item_for(zd: dict[str, Any]) -> Item:
    ident = str(zd["id"])
    tags = zd.get("tags")
    return Item(
        channel=CHANNEL,
        subject=str(zd.get("subject") or zd.get("title") or f"Zendesk ticket {ident}"),
        body=str(zd.get("description") or ""),
        external_ref=f"zendesk:{ident}",
        external_url=str(zd.get("url") or ""),
        tier=tier_of(zd),
        metadata={
            "zendesk": {
                "id": ident,
                "requester_id": str(zd.get("requester_id") or ""),
                "organization_id": str(zd.get("organization_id") or ""),
                "tags": tags.split() if isinstance(tags, str) else tags or [],
                "priority": word(zd.get("priority")),
            }
        },
        email=str(mapping(zd.get("requester")).get("email") or ""),
        name=str(mapping(zd.get("requester")).get("name") or ""),
        organization=_organization(zd),
    )


def _set_status(ticket: Ticket, status: str | None) -> Ticket:
    if status is None or status == ticket.status or status == Status.NEW:
        return ticket
    try:
        return actions.ticket_set_status(ticket, status, actor=ACTOR, force=True)
    except Conflict as exc:
        raise Ignored(str(exc)) from exc


def _mirror(ticket: Ticket, zd: dict[str, Any]) -> Ticket:
    tier = tier_of(zd)
    if tier is not None and tier != ticket.tier and ticket.status != Status.CLOSED:
        ticket = actions.ticket_set_tier(ticket, tier, actor=ACTOR)
    return _set_status(ticket, status_of(zd))


def upsert(delivery: Delivery) -> Ticket:
    """Created or updated in Zendesk: open the item or bring it in line."""
    _payload, zd = parse(delivery)
    ticket = items.find_item(CHANNEL, f"zendesk:{zd['id']}")
    if ticket is None:
        if status_of(zd) == Status.CLOSED:
            raise Ignored(f"Zendesk ticket {zd['id']} was closed before HeroDesk saw it")
        ticket, _created = items.open_item(item_for(zd), ACTOR)
    return _mirror(ticket, zd)


def deleted(delivery: Delivery) -> Ticket:
    _payload, zd = parse(delivery)
    ticket = items.find_item(CHANNEL, f"zendesk:{zd['id']}")
    if ticket is None:
        raise Ignored(f"Zendesk ticket {zd['id']} is not an item")
    return _set_status(ticket, Status.CLOSED)


def comment_added(delivery: Delivery) -> Ticket:
    """A comment in Zendesk: requester → requester message; agent → mirrored reply or note."""
    payload, zd = parse(delivery)
    ticket = upsert(delivery)
    comment = mapping(mapping(payload.get("event")).get("comment"))
    if not comment.get("body"):
        return ticket
    external_id = f"zendesk-comment:{comment.get('id')}"
    if items.seen(ticket, external_id) or ticket.status == Status.CLOSED:
        return ticket
    author = mapping(comment.get("author"))
    body = str(comment["body"])
    from_requester = str(author.get("id")) == str(zd.get("requester_id")) or not author.get(
        "is_staff"
    )
    if not comment.get("is_public", True):
        actions.ticket_note(
            ticket,
            author=None,
            body=f"{author.get('name', 'Zendesk')}: {body}",
            metadata={"external_id": external_id},
        )
    elif from_requester:
        ticket, _message = actions.ticket_requester_message(
            ticket, body=body, actor=ACTOR, external_id=external_id
        )
    else:
        actions.ticket_reply(
            ticket,
            author=None,
            body=f"{author.get('name', 'Agent')}: {body}",
            metadata={"mirrored_from": "zendesk", "external_id": external_id},
        )
    return ticket


EVENT_HANDLERS = {
    "ticket.created": upsert,
    "ticket.updated": upsert,
    "ticket.status_changed": upsert,
    "ticket.priority_changed": upsert,
    "ticket.comment_added": comment_added,
    "ticket.soft_deleted": deleted,
    "ticket.permanently_deleted": deleted,
}
