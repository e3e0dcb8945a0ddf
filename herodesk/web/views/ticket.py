"""The ticket page and what a hero does on it: reply (macros, checks),
note, @mention, status, claim/assign, tier.

Every form works as a plain POST → redirect; htmx posts the same forms and
swaps the ticket's main column in place (hx-select="#ticket-work").
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from herodesk.domain.sources import describe
from herodesk.domain.tiers import TIER_RANGE, Tier, parse_tier
from herodesk.lib.errors import ActionError, Invalid
from herodesk.notify import queries as notify_queries
from herodesk.teams import access
from herodesk.tickets import actions, macros, signals, similar
from herodesk.tickets.actions import ticket_merge
from herodesk.tickets.answer import answer_for
from herodesk.tickets.models import Macro, MessageKind, Status, Ticket
from herodesk.web import people, ticket_page
from herodesk.web.present import duration
from herodesk.web.views import playbooks
from herodesk.web.views.common import desk_view, fail, next_url, page

REPLY_STATUSES = ("", Status.OPEN, Status.PENDING, Status.SOLVED)
MAX_BODY = 50_000
QUICK_MACROS = 6


def _url(pk: int) -> str:
    return reverse("ticket", args=[pk])


def _composer(request: HttpRequest, ticket: Any, macro_list: list[Macro]) -> dict[str, Any]:
    """Composer state: empty, or filled from ?macro=ID."""
    state: dict[str, Any] = {"body": "", "kind": MessageKind.PUBLIC, "status": "", "macro": None}
    raw = request.GET.get("macro", "")
    if raw.isdigit():
        chosen = next((m for m in macro_list if m.pk == int(raw)), None)
        if chosen is not None:
            state.update(
                body=macros.render(chosen.body, ticket, request.user),
                kind=chosen.kind,
                status=chosen.set_status,
                macro=chosen,
            )
    if request.GET.get("mode") == "note":
        state["kind"] = MessageKind.NOTE
    return state


def ticket_context(request: HttpRequest, pk: int, **extra: Any) -> dict[str, Any]:
    ticket = ticket_page.load_ticket(pk)
    macro_list = macros.macros_for(ticket.team)
    composer = extra.pop("composer", None) or _composer(request, ticket, macro_list)
    staff = people.assignable(ticket.team)
    conversation = list(ticket.messages.all())
    answer = answer_for(ticket)
    first = next((m.body for m in conversation if m.kind != MessageKind.NOTE), "")
    return {
        "ticket": ticket,
        "conversation": conversation,
        "now": timezone.now(),
        "can_write": access.can_write_ticket(request.user, ticket),
        "previous": ticket_page.previous_tickets(ticket),
        "links": ticket_page.context_links(ticket),
        "history": ticket_page.history(ticket),
        "macros": macro_list[:QUICK_MACROS],
        "more_macros": macro_list[QUICK_MACROS:],
        "assignees": staff,
        "teammates": [s for s in staff if s.on_team][:8],
        "composer": composer,
        "warnings": ticket_page.reply_warnings(
            ticket, composer["body"], composer["kind"] == MessageKind.PUBLIC
        ),
        "statuses": _next_statuses(ticket.status),
        "tiers": list(Tier),
        "answer": answer,
        "similar": similar.similar_to(ticket, first_message_body=first),
        "source": describe(ticket.channel, ticket.subject, ticket.external_url, ticket.metadata),
        "deliveries": notify_queries.reply_deliveries(ticket.pk, list(ticket.messages.all())),
        **playbooks.panel_context(ticket, request.user),
        **extra,
    }


def _next_statuses(status: str) -> list[tuple[str, str]]:
    labels = {
        "open": "Reopen" if status in ("pending", "solved") else "Open",
        "pending": "Set pending",
        "solved": "Mark solved",
        "closed": "Close",
    }
    allowed = actions.TRANSITIONS.get(status, set())
    return [
        (s, labels[s])
        for s in ("open", "pending", "solved", "closed")
        if s in allowed and not (s == "open" and status == "new")
    ]


@desk_view
def ticket_view(request: HttpRequest, pk: int) -> HttpResponse:
    context = ticket_context(request, pk)
    if request.headers.get("HX-Target") == "composer":
        return render(request, "web/ticket/_composer.html", context)
    return page(request, "web/ticket.html", context)


def _writable(request: HttpRequest, pk: int) -> Any:
    ticket = ticket_page.load_ticket(pk)
    access.require_ticket_write(request.user, ticket)
    return ticket


def _reply_form(request: HttpRequest) -> tuple[str, str, str]:
    body = (request.POST.get("body") or "").replace("\r\n", "\n").strip()
    kind = request.POST.get("kind", MessageKind.PUBLIC)
    status = request.POST.get("status", "")
    if kind not in (MessageKind.PUBLIC, MessageKind.NOTE):
        raise Invalid("kind must be public or note", field="kind")
    if status not in REPLY_STATUSES:
        raise Invalid("status must be open, pending or solved", field="status")
    if not body:
        raise Invalid("Write something first: the message is empty.", field="body")
    if len(body) > MAX_BODY:
        raise Invalid(f"The message is too long (at most {MAX_BODY} characters).", field="body")
    return body, kind, status


def _send(request: HttpRequest, ticket: Any, body: str, kind: str, status: str) -> str:
    """Write the reply or note (and the status, the mentions) in one transaction."""
    with transaction.atomic():
        if kind == MessageKind.PUBLIC:
            message = actions.ticket_reply(
                ticket,
                author=request.user,
                body=body,
                status=status or None,
                follow_up=_follows_up(request, ticket),
            )
        else:
            message = actions.ticket_note(ticket, author=request.user, body=body)
            if status and status != ticket.status:
                actions.ticket_set_status(ticket, status, actor=request.user)
        # The actions claim the ticket on a public reply and notify @mentions.
        mentioned = people.mentioned(body, request.user)
        told = bool(mentioned) and signals.mentioned.has_listeners(Ticket)
    text = _said(message) if kind == MessageKind.PUBLIC else "Note added."
    grade = (message.metadata or {}).get("grade")
    if grade and (message.metadata or {}).get("clock") == "first_response":
        taken = message.created_at - ticket.created_at
        text += f" First response: {grade.replace('_', ' ')} ({duration(taken)})."
    if mentioned:
        names = ", ".join(u.get_full_name() or u.get_username() for u in mentioned)
        text += f" Mentioned {names}" + ("." if told else " (notifications are off).")
    if status:
        text += f" Status: {status}."
    return text


@require_POST
@desk_view
def ticket_reply(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _writable(request, pk)
    try:
        body, kind, status = _reply_form(request)
        warnings = ticket_page.reply_warnings(ticket, body, kind == MessageKind.PUBLIC)
        if warnings and not request.POST.get("send_anyway"):
            composer = {"body": body, "kind": kind, "status": status, "macro": None}
            context = ticket_context(request, pk, composer=composer, confirm=True)
            return page(request, "web/ticket.html", context)
        messages.success(request, _send(request, ticket, body, kind, status))
    except ActionError as exc:
        return fail(request, exc, _url(pk))
    return redirect(_url(pk))


def _follows_up(request: HttpRequest, ticket: Any) -> bool:
    """The reply was written from a macro that promises to get back."""
    raw = request.POST.get("macro", "")
    if not raw.isdigit():
        return False
    return any(m.pk == int(raw) and m.follow_up for m in macros.macros_for(ticket.team))


def _said(message: Any) -> str:
    """What the flash says about a public reply: queued (never "sent": the
    worker sends it), or kept on the ticket and why."""
    route = (message.metadata or {}).get("answer") or {}
    where = route.get("where") or ""
    if route.get("transport") in ("email", "slack", "github"):
        return f"Reply queued for delivery {where}; its state shows on the message."
    return f"Reply saved, not sent: {where or 'nothing to send it to'}."


@require_POST
@desk_view
def ticket_answered(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Mark answered": answered at the source (GitHub, the community page)."""
    ticket = _writable(request, pk)
    try:
        actions.ticket_mark_answered(ticket, actor=request.user)
    except ActionError as exc:
        return fail(request, exc, _url(pk))
    messages.success(request, "Marked answered at the source; the ticket is solved.")
    return redirect(_url(pk))


@require_POST
@desk_view
def ticket_checks(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply checks of a draft (htmx, as the hero types)."""
    ticket = ticket_page.load_ticket(pk)
    body = (request.POST.get("body") or "")[:MAX_BODY]
    public = request.POST.get("kind", MessageKind.PUBLIC) == MessageKind.PUBLIC
    return render(
        request,
        "web/ticket/_checks.html",
        {
            "warnings": ticket_page.reply_warnings(ticket, body, public),
            "has_body": bool(body.strip()),
            "public": public,
        },
    )


@require_POST
@desk_view
def ticket_status(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _writable(request, pk)
    status = request.POST.get("status", "")
    try:
        actions.ticket_set_status(ticket, status, actor=request.user)
    except ActionError as exc:
        return fail(request, exc, _url(pk))
    messages.success(request, f"Status: {status}.")
    return redirect(_url(pk))


@require_POST
@desk_view
def ticket_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Claim ("me"), assign to a username, or unassign ("-")."""
    ticket = _writable(request, pk)
    who = request.POST.get("assignee", "")
    try:
        if who == "-":
            assignee = None
        else:
            assignee = people.staff_user(request.user.get_username() if who == "me" else who)
            if assignee is None:
                raise Invalid(f"unknown person {who!r}", field="assignee")
        actions.ticket_assign(ticket, assignee, actor=request.user)
    except ActionError as exc:
        return fail(request, exc, next_url(request, _url(pk)))
    name = (
        "you"
        if assignee == request.user
        else (assignee.get_full_name() or assignee.get_username())
        if assignee
        else "nobody"
    )
    messages.success(request, f"#{ticket.pk} assigned to {name}.")
    return redirect(next_url(request, _url(pk)))


@require_POST
@desk_view
def ticket_tier(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _writable(request, pk)
    raw = request.POST.get("tier", "")
    try:
        tier = parse_tier(raw)
        if tier is None:
            raise Invalid(f"tier must be {TIER_RANGE}", field="tier")
        actions.ticket_set_tier(ticket, tier, actor=request.user)
    except ActionError as exc:
        return fail(request, exc, _url(pk))
    messages.success(request, f"Tier set to T{raw}.")
    return redirect(_url(pk))


@require_POST
@desk_view
def ticket_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this ticket into another one (it is closed; its messages move)."""
    duplicate = _writable(request, pk)
    raw = (request.POST.get("into") or "").strip().lstrip("#")
    try:
        if not raw.isdigit():
            raise Invalid("give the number of the ticket to merge into", field="into")
        into = _writable(request, int(raw))
        survivor = ticket_merge(duplicate, into, actor=request.user)
    except ActionError as exc:
        return fail(request, exc, _url(pk))
    messages.success(request, f"#{duplicate.pk} merged into #{survivor.pk}.")
    return redirect(_url(survivor.pk))
