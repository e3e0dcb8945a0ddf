"""Normalized items → tickets, the same way for every channel.

- `requester_from(item) -> Requester | None`: find or create the requester
  by email, GitHub login, Slack user id or username (customers.lookup for
  email; the other identities are matched on their Requester field).
- `open_item(item, actor, team=None, assignee=None) -> (Ticket, created)`: the ticket grouped under
  (channel, external_ref) if there is one, else a new ticket routed and
  tiered by herodesk.intake.triage. Safe under concurrent workers.
- `find_item(channel, external_ref) -> Ticket | None`; `seen(ticket, external_id)`.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from herodesk.customers.actions import (
    requester_create_identity,
    requester_fill_in,
    requester_for,
)
from herodesk.customers.models import Requester
from herodesk.intake import triage
from herodesk.intake.base import Item
from herodesk.lib import channels
from herodesk.lib.prepared import Prepared
from herodesk.tickets import actions
from herodesk.tickets.models import Message, Ticket

IDENTITY_FIELDS = ("github_login", "slack_user_id", "username")
EMPTY_BODY = "(no description)"
MAX_MERGE_HOPS = 10


def _identity(item: Item) -> tuple[str, str] | None:
    for name in IDENTITY_FIELDS:
        value = getattr(item, name).strip()
        if value:
            return name, value
    return None


def requester_from(item: Item) -> Requester | None:
    """The requester behind an item; None when it carries no identity at all."""
    identity = _identity(item)
    if item.email:
        requester = requester_for(
            email=item.email, name=item.name, organization=item.organization, actor=item.channel
        )
        if identity and not getattr(requester, identity[0]):
            requester_fill_in(requester, actor=item.channel, **{identity[0]: identity[1]})
        return requester
    if identity is None:
        return None
    field, value = identity
    existing = _BY_IDENTITY[field].first(value)
    if existing is not None:
        return existing
    return requester_create_identity(
        field, value, name=item.name, organization=item.organization or None, actor=item.channel
    )


def seen(ticket: Ticket, external_id: str) -> bool:
    """Whether this channel message is already on the ticket (a replayed delivery).

    Matches Message.external_id, or metadata["external_id"] for notes and
    mirrored replies (their actions take metadata but no external id).
    """
    return (
        Message.objects.filter(ticket=ticket)
        .filter(Q(external_id=external_id) | Q(metadata__external_id=external_id))
        .exists()
    )


# Every delivery asks these: compiled once (core/prepared.py).
_BY_REF = Prepared(
    Ticket,
    lambda channel, ref: (
        Ticket.objects.filter(channel=channel, external_ref=ref)
        .order_by("-created_at", "-id")
        .only("pk")[:1]
    ),
)
_BY_IDENTITY = {
    name: Prepared(
        Requester,
        lambda value, name=name: (
            Requester.objects.select_related("organization")
            .filter(**{name: value})
            .order_by("pk")[:1]
        ),
    )
    for name in IDENTITY_FIELDS
}


def find_item(channel: str, external_ref: str) -> Ticket | None:
    """The ticket for this external reference, following merges to the survivor."""
    if not external_ref:
        return None
    # A narrow look first: most deliveries are new items, and a full Ticket row costs more.
    found = _BY_REF.first(channel, external_ref)
    return follow(Ticket.objects.get(pk=found.pk)) if found is not None else None


def follow(ticket: Ticket | None) -> Ticket | None:
    """The ticket a merged duplicate now lives on (the ticket itself if not merged)."""
    for _hop in range(MAX_MERGE_HOPS):
        if ticket is None or ticket.merged_into_id is None:
            break
        ticket = Ticket.objects.filter(pk=ticket.merged_into_id).first()
    return ticket


def routing_values(item: Item) -> dict[str, str]:
    """The item's value for every routing field any channel declares (an
    attribute of the item, else a key of its metadata)."""
    out = {}
    for rf in channels.routing_fields().values():
        value = getattr(item, rf.attr, None)
        if value is None:
            value = item.metadata.get(rf.attr, "")
        if value:
            out[rf.attr] = str(value)
    return out


def _create(
    item: Item, actor: Any, requester: Requester | None, team: Any, assignee: Any
) -> Ticket:
    team = team or triage.route(
        channel=item.channel,
        text=f"{item.subject}\n{item.body}",
        requester=requester,
        **routing_values(item),
    )
    return actions.ticket_create(
        subject=item.subject or "(no subject)",
        body=item.body if item.body.strip() else EMPTY_BODY,
        actor=actor,
        channel=item.channel,
        team=team,
        requester=requester,
        external_ref=item.external_ref,
        external_url=item.external_url,
        metadata=dict(item.metadata),
        body_html=item.body_html,
        original=item.original,
        message_external_id=item.message_external_id,
        escalated=item.escalated,
        tier=item.tier,
        assignee=assignee,
    )


def open_item(
    item: Item, actor: Any, *, team: Any = None, assignee: Any = None
) -> tuple[Ticket, bool]:
    """The item's ticket: the existing one for its external_ref, else a new one.

    A new ticket goes to `team` when given, else where triage.route sends it.
    """
    existing = find_item(item.channel, item.external_ref)
    if existing is not None:
        return existing, False
    requester = requester_from(item)
    try:
        with transaction.atomic():
            return _create(item, actor, requester, team, assignee), True
    except IntegrityError:  # another worker opened it a moment ago
        existing = find_item(item.channel, item.external_ref)
        if existing is None:
            raise
        return existing, False
