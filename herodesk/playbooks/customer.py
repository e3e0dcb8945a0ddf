"""The customer panel's reads: per-requester admin links, the requester's recent
Sentry errors, previous tickets with their grades. Links are built from the
`HERODESK_LINK_*` templates; opening one is an action (audited, with a reason)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q

from herodesk.domain.playbook import Step
from herodesk.playbooks.links import KINDS, LinkError, build, template_for
from herodesk.tickets.models import Channel, Ticket

PANEL_LINKS = ("login-as", "billing")
SENTRY_LIMIT = 5
PREVIOUS_LIMIT = 6


@dataclass(frozen=True)
class PanelLink:
    kind: str
    label: str
    problem: str  # why it cannot be opened ("" when it can)


def region_of(ticket: Ticket) -> str:
    requester = ticket.requester
    org = requester.organization if requester is not None else None
    return org.region if org is not None and org.region in ("EU", "US") else "US"


def link_values(ticket: Ticket) -> dict[str, str]:
    requester = ticket.requester
    org = requester.organization if requester is not None else None
    return {
        "user_email": (requester.email or "") if requester else "",
        "user_id": (requester.external_id or "") if requester else "",
        "org_id": (org.external_id or "") if org else "",
    }


def link_url(
    ticket: Ticket, kind: str, region: str = "", values: dict[str, str] | None = None
) -> str:
    """The URL for a kind of link on this ticket; LinkError says why there is none."""
    template = template_for(settings.HERODESK_LINKS, kind, region or region_of(ticket))
    if template is None:
        env = KINDS[kind].env
        raise LinkError(
            f"no link configured (set HERODESK_LINK_{env}_{region or region_of(ticket)})"
        )
    return build(template, values if values is not None else link_values(ticket))


def panel_links(ticket: Ticket) -> list[PanelLink]:
    out = []
    for kind in PANEL_LINKS:
        try:
            link_url(ticket, kind)
            problem = ""
        except LinkError as exc:
            problem = str(exc)
        out.append(PanelLink(kind, KINDS[kind].label, problem))
    return out


def step_link(run: Any, step: Step) -> tuple[str, str]:
    """(url, "") for a guarded step's link, or ("", why not)."""
    ticket = run.ticket
    values = link_values(ticket)
    user_input = run.inputs.get("account_email") or run.inputs.get("owner_email")
    if user_input:  # the account the step acts on, not necessarily the requester
        values["user_email"] = str(user_input)
        if user_input != (ticket.requester.email if ticket.requester else None):
            values["user_id"] = ""
    try:
        return link_url(ticket, step.params["link"], step.params.get("region", ""), values), ""
    except LinkError as exc:
        return "", str(exc)


def sentry_errors(ticket: Ticket) -> list[Ticket]:
    """Recent Sentry alerts tied to the requester (user.username or email on the event)."""
    requester = ticket.requester
    if requester is None:
        return []
    mine = Q(requester=requester) | Q(messages__requester=requester)
    ids = (
        Ticket.objects.filter(mine, channel=Channel.SENTRY)
        .exclude(pk=ticket.pk)
        .values_list("pk", flat=True)
        .distinct()
    )
    return list(
        Ticket.objects.filter(pk__in=list(ids)).order_by("-created_at", "-id")[:SENTRY_LIMIT]
    )


def previous_tickets(ticket: Ticket) -> list[Ticket]:
    """The requester's other tickets, newest first, with their first-response grade."""
    if ticket.requester_id is None:
        return []
    return list(
        Ticket.objects.filter(requester_id=ticket.requester_id)
        .exclude(pk=ticket.pk)
        .exclude(channel=Channel.SENTRY)
        .order_by("-created_at", "-id")[:PREVIOUS_LIMIT]
    )
