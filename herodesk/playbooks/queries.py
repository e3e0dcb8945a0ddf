"""Reads: a run's state machine, its steps as the API and the page show them."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from herodesk.domain.playbook import Kind, Playbook, Record, Run, StepView
from herodesk.lib.errors import NotFound
from herodesk.notify.models import Delivery
from herodesk.playbooks import definitions
from herodesk.playbooks.models import AppReview, PlaybookRun, PlaybookStep, RunState


def playbook_of(run: PlaybookRun) -> Playbook:
    playbook = definitions.get(run.playbook)
    if playbook is None:  # a definition removed while runs of it remain
        raise NotFound(f"playbook {run.playbook!r} is not defined any more")
    return playbook


def machine(run: PlaybookRun) -> Run:
    """The pure state machine of a run, rebuilt from its stored records."""
    records = [
        Record(s.key, s.done_by_label, s.done_at, s.choice, s.note, s.detail)
        for s in run.steps.all()
    ]
    over = ""
    if run.state == RunState.CANCELLED:
        over = f"cancelled: {run.cancel_reason}"
    elif run.state == RunState.FINISHED:
        over = "finished"
    return Run(playbook_of(run), records, over=over)


def runs() -> QuerySet[PlaybookRun]:
    return PlaybookRun.objects.select_related(
        "ticket", "started_by", "cancelled_by"
    ).prefetch_related(Prefetch("steps", PlaybookStep.objects.order_by("done_at", "id")))


def get_run(pk: int) -> PlaybookRun:
    run = runs().filter(pk=pk).first()
    if run is None:
        raise NotFound(f"playbook run {pk} not found")
    return run


def ticket_runs(ticket_id: int) -> list[PlaybookRun]:
    return list(runs().filter(ticket_id=ticket_id).order_by("-started_at", "-id"))


def active_runs(ticket_id: int) -> list[PlaybookRun]:
    return list(runs().filter(ticket_id=ticket_id, state=RunState.ACTIVE))


def get_review(pk: int) -> AppReview:
    review = AppReview.objects.filter(pk=pk).first()
    if review is None:
        raise NotFound(f"app review {pk} not found")
    return review


def latest_reviews(run_ids: list[int]) -> list[AppReview]:
    """The newest review of each run (one query)."""
    newest: dict[int, AppReview] = {}
    for review in AppReview.objects.filter(run_id__in=run_ids).order_by("created_at", "id"):
        newest[review.run_id] = review  # type: ignore[index]
    return list(newest.values())


def run_views(items: list[PlaybookRun]) -> list[dict[str, Any]]:
    """Runs as plain data (API and page). Two extra queries whatever the count:
    the email deliveries and the latest app reviews."""
    delivery_ids = [
        s.detail.get("delivery")
        for run in items
        for s in run.steps.all()
        if s.detail.get("delivery")
    ]
    deliveries = {d.pk: d for d in Delivery.objects.filter(pk__in=delivery_ids)}
    reviews: dict[int, AppReview] = {}
    for review in AppReview.objects.filter(run__in=items).order_by("created_at", "id"):
        reviews[review.run_id] = review  # type: ignore[index]
    return [_run_view(run, deliveries, reviews.get(run.pk)) for run in items]


def run_view(run: PlaybookRun) -> dict[str, Any]:
    return run_views([run])[0]


def _run_view(
    run: PlaybookRun, deliveries: dict[int, Delivery], review: AppReview | None
) -> dict[str, Any]:
    state = machine(run)
    playbook = state.playbook
    return {
        "id": run.pk,
        "playbook": run.playbook,
        "name": playbook.name,
        "ticket": run.ticket_id,
        "state": run.state,
        "inputs": run.inputs,
        "started_at": run.started_at,
        "started_by": run.started_by.get_username() if run.started_by else None,
        "cancel_reason": run.cancel_reason or None,
        "steps": [_step_view(run, v, deliveries, review) for v in state.views()],
    }


def _step_view(
    run: PlaybookRun, view: StepView, deliveries: dict[int, Delivery], review: AppReview | None
) -> dict[str, Any]:
    step, record = view.step, view.record
    detail = dict(record.detail) if record else {}
    if step.kind is Kind.EMAIL and detail.get("delivery") in deliveries:
        delivery = deliveries[detail["delivery"]]
        detail["delivery_status"] = delivery.status
        detail["delivery_error"] = delivery.last_error or None
    if (
        step.kind is Kind.AUTO_CHECK
        and review is not None
        and step.params.get("probe", "").startswith("app")
    ):
        detail.setdefault("review", review.pk)
    observation = run.observations.get(step.key) if isinstance(run.observations, dict) else None
    return {
        "key": step.key,
        "kind": str(step.kind),
        "title": step.title,
        "help": step.help,
        "state": str(view.state),
        "reason": view.reason or None,
        "done_by": record.by if record else None,
        "done_at": record.at if record else None,
        "note": record.note if record and record.note else None,
        "choice": record.choice if record and record.choice else None,
        "choices": [{"key": c.key, "label": c.label} for c in step.choices],
        "detail": detail,
        "observation": observation,
    }
