"""Playbook and app-review endpoints: parse, check roles, call actions/queries, serialize."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router
from ninja import Status as Answer
from ninja.files import UploadedFile

from herodesk.api import playbook_schemas as ps
from herodesk.api import schemas as s
from herodesk.api.types import ID, MAX_ID
from herodesk.lib.errors import Invalid, NotFound
from herodesk.playbooks import actions, definitions, queries
from herodesk.playbooks.models import AppReview
from herodesk.playbooks.review import Limits
from herodesk.teams import access
from herodesk.tickets.models import Ticket

router = Router(tags=["playbooks"])
ERRORS: dict[int, type] = {c: s.Error for c in (400, 401, 403, 404, 409, 413, 422)}


def _ticket(pk: int) -> Ticket:
    ticket = Ticket.objects.select_related("team", "requester__organization").filter(pk=pk).first()
    if ticket is None:
        raise NotFound(f"ticket {pk} not found")
    return ticket


@router.get("/playbooks", response={200: list[ps.PlaybookOut], **ERRORS})
def list_playbooks(request: HttpRequest) -> Any:
    access.require_agent(request.user)
    return [
        {
            "slug": p.slug,
            "name": p.name,
            "description": p.description,
            "inputs": [vars(i) for i in p.inputs],
            "steps": [{"key": st.key, "kind": str(st.kind), "title": st.title} for st in p.steps],
        }
        for p in definitions.PLAYBOOKS.values()
    ]


@router.post("/tickets/{ticket_id}/playbooks", response={201: ps.RunOut, **ERRORS})
def start(request: HttpRequest, ticket_id: ID, payload: ps.StartIn) -> Any:
    ticket = _ticket(ticket_id)
    access.require_ticket_write(request.user, ticket)
    run = actions.run_start(ticket, payload.playbook, payload.inputs, actor=request.user)
    return Answer(201, queries.run_view(queries.get_run(run.pk)))


@router.get("/tickets/{ticket_id}/playbooks", response={200: list[ps.RunOut], **ERRORS})
def ticket_runs(request: HttpRequest, ticket_id: ID) -> Any:
    access.require_agent(request.user)
    return queries.run_views(queries.ticket_runs(_ticket(ticket_id).pk))


@router.get("/playbook-runs/{run_id}", response={200: ps.RunOut, **ERRORS})
def run_detail(request: HttpRequest, run_id: ID) -> Any:
    access.require_agent(request.user)
    return queries.run_view(queries.get_run(run_id))


@router.post("/playbook-runs/{run_id}/steps/{key}", response={200: ps.RunOut, **ERRORS})
def perform(request: HttpRequest, run_id: ID, key: str, payload: ps.PerformIn) -> Any:
    run = queries.get_run(run_id)
    access.require_ticket_write(request.user, run.ticket)
    actions.step_perform(run, key, actor=request.user, note=payload.note, choice=payload.choice)
    return queries.run_view(queries.get_run(run_id))


@router.post("/playbook-runs/{run_id}/cancel", response={200: ps.RunOut, **ERRORS})
def cancel(request: HttpRequest, run_id: ID, payload: ps.CancelIn) -> Any:
    run = queries.get_run(run_id)
    access.require_ticket_write(request.user, run.ticket)
    actions.run_cancel(run, actor=request.user, reason=payload.reason)
    return queries.run_view(queries.get_run(run_id))


def review_out(review: AppReview) -> dict[str, Any]:
    out = {
        "id": review.pk,
        "passed": review.passed,
        "findings": review.findings,
        "ticket": review.ticket_id,
        "run": review.run_id,
        "archive": review.archive_name,
        "files": review.files,
        "sources": review.sources,
        "created_at": review.created_at,
    }
    if review.diff is not None:
        out["diff"] = review.diff
    return out


def _read(upload: UploadedFile | None, field: str) -> bytes | None:
    if upload is None:
        return None
    limit = Limits().max_archive_bytes
    if (upload.size or 0) > limit:
        raise Invalid(f"{upload.name} is larger than {limit // (1024 * 1024)} MiB", field=field)
    return bytes(upload.read(limit + 1))


REQUIRED_FILE = File(...)
OPTIONAL_FILE = File(None)


@router.post("/app-reviews", response={201: ps.ReviewOut, **ERRORS})
def create_review(
    request: HttpRequest,
    archive: UploadedFile = REQUIRED_FILE,
    previous: UploadedFile | None = OPTIONAL_FILE,
    ticket: int | None = Form(None, ge=1, le=MAX_ID),
) -> Any:
    access.require_agent(request.user)
    target = None
    if ticket is not None:
        target = _ticket(ticket)
        access.require_ticket_write(request.user, target)
    data = _read(archive, "archive")
    assert data is not None
    review = actions.review_create(
        archive=data,
        name=archive.name or "archive",
        previous=_read(previous, "previous"),
        previous_name=(previous.name or "") if previous else "",
        ticket=target,
        actor=request.user,
    )
    return Answer(201, review_out(review))


@router.get("/app-reviews/{review_id}", response={200: ps.ReviewOut, **ERRORS})
def review_detail(request: HttpRequest, review_id: ID) -> Any:
    access.require_agent(request.user)
    return review_out(queries.get_review(review_id))
