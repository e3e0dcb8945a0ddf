"""Playbooks on the ticket page: start a run, do its steps, upload an archive for
review, cancel; sensitive links (a guarded step's, the customer panel's) open
through audited redirects. Every write is a `playbooks.actions` function."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from herodesk.lib.errors import ActionError, Invalid
from herodesk.playbooks import actions, customer, definitions, emails, queries
from herodesk.playbooks.limits import Limits
from herodesk.playbooks.models import PlaybookRun
from herodesk.teams import access
from herodesk.web import ticket_page
from herodesk.web.views.common import desk_view, fail

MAX_UPLOAD = Limits().max_archive_bytes


def _back(ticket_id: int) -> str:
    return f"/tickets/{ticket_id}/#playbooks"


def _run(request: HttpRequest, run_id: int) -> PlaybookRun:
    run = queries.get_run(run_id)
    access.require_ticket_write(request.user, run.ticket)
    return run


def _away(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
@desk_view
def start(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_page.load_ticket(pk)
    access.require_ticket_write(request.user, ticket)
    slug = request.POST.get("playbook", "")
    playbook = definitions.get(slug)
    given = {
        i.key: request.POST.get(f"input_{i.key}", "")
        for i in (playbook.inputs if playbook else ())
        if request.POST.get(f"input_{i.key}", "").strip()
    }
    try:
        run = actions.run_start(ticket, slug, given, actor=request.user)
    except ActionError as exc:
        return fail(request, exc, _back(pk))
    messages.success(request, f"Started {queries.playbook_of(run).name}.")
    return redirect(_back(pk))


@require_POST
@desk_view
def step(request: HttpRequest, run_id: int, key: str) -> HttpResponse:
    run = _run(request, run_id)
    try:
        actions.step_perform(
            run,
            key,
            actor=request.user,
            note=request.POST.get("note", ""),
            choice=request.POST.get("choice", ""),
        )
    except ActionError as exc:
        return fail(request, exc, _back(run.ticket_id))
    title = queries.playbook_of(run).step(key).title
    messages.success(request, f"Done: {title}.")
    return redirect(_back(run.ticket_id))


@require_POST
@desk_view
def cancel(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    try:
        actions.run_cancel(run, actor=request.user, reason=request.POST.get("reason", ""))
    except ActionError as exc:
        return fail(request, exc, _back(run.ticket_id))
    messages.success(request, "Run cancelled.")
    return redirect(_back(run.ticket_id))


@require_POST
@desk_view
def step_link(request: HttpRequest, run_id: int, key: str) -> HttpResponse:
    run = _run(request, run_id)
    try:
        url = actions.step_link_open(run, key, actor=request.user)
    except ActionError as exc:
        return fail(request, exc, _back(run.ticket_id))
    return _away(url)


@require_POST
@desk_view
def review(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    archive = request.FILES.get("archive")
    previous = request.FILES.get("previous")
    try:
        if archive is None:
            raise Invalid("choose the plugin's source archive (zip or tar.gz)", field="archive")
        for upload in (archive, previous):
            if upload is not None and (upload.size or 0) > MAX_UPLOAD:
                raise Invalid(f"{upload.name} is larger than {MAX_UPLOAD // 2**20} MiB")
        result = actions.review_create(
            archive=archive.read(),
            name=archive.name or "archive",
            previous=previous.read() if previous is not None else None,
            previous_name=(previous.name or "") if previous is not None else "",
            ticket=run.ticket,
            actor=request.user,
        )
    except ActionError as exc:
        return fail(request, exc, _back(run.ticket_id))
    verdict = "passed" if result.passed else "failed"
    messages.success(
        request, f"App review #{result.pk} {verdict}: {len(result.findings)} finding(s)."
    )
    return redirect(_back(run.ticket_id))


@require_POST
@desk_view
def customer_link(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    ticket = ticket_page.load_ticket(pk)
    access.require_ticket_write(request.user, ticket)
    try:
        url = actions.customer_link_open(
            ticket, kind, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ActionError as exc:
        return fail(request, exc, f"/tickets/{pk}/#customer")
    return _away(url)


def panel_context(ticket: Any, user: Any) -> dict[str, Any]:
    """What the ticket page shows of playbooks and the customer panel."""
    runs = queries.run_views(queries.ticket_runs(ticket.pk))
    reviews = {r.run_id: r for r in queries.latest_reviews([v["id"] for v in runs])}
    for view in runs:
        view["review"] = reviews.get(view["id"])
        view["previews"] = _previews(view, ticket, user)
    active = {v["playbook"] for v in runs if v["state"] == "active"}
    return {
        "playbook_runs": runs,
        "playbooks": [p for p in definitions.PLAYBOOKS.values() if p.slug not in active],
        "customer_links": customer.panel_links(ticket),
        "sentry_errors": customer.sentry_errors(ticket),
    }


def _previews(view: dict[str, Any], ticket: Any, user: Any) -> dict[str, Any]:
    """Who a ready email step will write to, and with which subject."""
    out: dict[str, Any] = {}
    playbook = definitions.get(view["playbook"])
    org = ticket.requester.organization if ticket.requester is not None else None
    for step in view["steps"]:
        if playbook is None or step["state"] != "ready":
            continue
        definition = playbook.step(step["key"])
        if step["kind"] == "email":
            email = emails.render(definition, view["inputs"], ticket, user)
            out[step["key"]] = {"to": email.to, "subject": email.subject}
        elif definition.params.get("hint") == "plan":
            plan = org.get_plan_display() if org is not None else "unknown (no organization)"
            out[step["key"]] = {"hint": f"The organization's plan on file: {plan}."}
    return out
