"""Customer links opened from a ticket (admin "log in as", billing, bug-report
context), through an audited redirect: SPEC §8 wants every opening of such a
link in the audit log, with who opened it and from which ticket."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from herodesk.audit.log import record
from herodesk.web import ticket_page
from herodesk.web.templatetags.desk import safe_url
from herodesk.web.views.common import desk_view


def link_of(ticket: Any, key: str) -> str:
    """The http(s) URL behind `key` on this ticket, or ''."""
    org = ticket.requester.organization if ticket.requester is not None else None
    if key == "org_admin":
        return safe_url(org.admin_url) if org is not None else ""
    if key == "org_billing":
        return safe_url(org.billing_url) if org is not None else ""
    if key == "original":
        return safe_url(ticket.external_url)
    context = ticket.metadata.get("context") if isinstance(ticket.metadata, dict) else None
    if key.startswith("ctx_") and isinstance(context, dict):
        return safe_url(str(context.get(key[4:], "")))
    return ""


@transaction.atomic
def ticket_link_opened(ticket: Any, user: Any, key: str, url: str) -> None:
    record(user, "ticket.link_opened", ticket, ticket=ticket, after={"link": key, "url": url})


@require_safe
@desk_view
def open_link(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    ticket = ticket_page.load_ticket(pk)
    url = link_of(ticket, key)
    if not url:
        raise Http404("no such link on this ticket")
    ticket_link_opened(ticket, request.user, key, url)
    response = HttpResponseRedirect(url)
    response["Referrer-Policy"] = "no-referrer"
    return response
