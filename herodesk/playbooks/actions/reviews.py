"""App reviews: run the checks on an uploaded archive, store the result, and
open the app-review step of the ticket's run when the review passes."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from herodesk.audit.log import actor_parts, record
from herodesk.domain.playbook import Kind, Record, Run, State
from herodesk.lib.errors import Invalid
from herodesk.playbooks.actions._common import commit_step, locked_run, observe
from herodesk.playbooks.models import AppReview, PlaybookRun, RunState
from herodesk.tickets.models import Ticket

if TYPE_CHECKING:
    from herodesk.playbooks.review import Review


def review_create(
    *,
    archive: bytes,
    name: str,
    previous: bytes | None = None,
    previous_name: str = "",
    ticket: Ticket | None = None,
    actor: Any,
) -> AppReview:
    """Review an archive (and its previous version); 422 with the reason for a bad one.

    The checks run before the transaction: a second of parsing never holds a lock."""
    # lazy: the review engine (tree-sitter grammars, archive readers) loads with
    # the first review, not at every start-up.
    from herodesk.playbooks.review import ArchiveError, review_archive, review_update

    try:
        result = review_update(archive, previous) if previous else review_archive(archive)
    except ArchiveError as exc:
        field = "previous" if previous and exc.reason == "not-a-diff" else "archive"
        raise Invalid(f"{exc.message} ({exc.reason})", field=field) from None
    return _store(result, archive, name, previous, previous_name, ticket, actor)


@transaction.atomic
def _store(
    result: Review,
    archive: bytes,
    name: str,
    previous: bytes | None,
    previous_name: str,
    ticket: Ticket | None,
    actor: Any,
) -> AppReview:
    user, _label = actor_parts(actor)
    data = result.as_dict()
    review = AppReview.objects.create(
        ticket=ticket,
        created_by=user,
        created_at=timezone.now(),
        archive_name=(name or "archive")[:255],
        archive_sha256=hashlib.sha256(archive).hexdigest(),
        archive_size=len(archive),
        previous_name=(previous_name or "")[:255] if previous else "",
        previous_sha256=hashlib.sha256(previous).hexdigest() if previous else "",
        passed=result.passed,
        findings=data["findings"],
        diff=data.get("diff"),
        files=result.files,
        sources=result.sources,
    )
    counts = {
        f["code"]: sum(1 for g in data["findings"] if g["code"] == f["code"])
        for f in data["findings"]
    }
    record(
        actor,
        "app_review.created",
        review,
        ticket=ticket,
        after={"archive": review.archive_name, "passed": review.passed, "findings": counts},
    )
    if ticket is not None:
        _attach(review, ticket, "app-update-review" if previous else "app-review", actor)
    return review


def _attach(review: AppReview, ticket: Ticket, probe: str, actor: Any) -> None:
    """Give the review to the ticket's active run that waits for one."""
    for pk in PlaybookRun.objects.filter(ticket=ticket, state=RunState.ACTIVE).values_list(
        "pk", flat=True
    ):
        run, state = locked_run(pk)
        for view in state.views():
            step = view.step
            if step.kind is not Kind.AUTO_CHECK or step.params.get("probe") != probe:
                continue
            review.run = run
            review.save(update_fields=["run"])
            errors = [f for f in review.findings if f["severity"] == "error"]
            if view.state is not State.READY:
                observe(
                    run,
                    step.key,
                    f"review #{review.pk} arrived while the step was {view.state}: {view.reason}",
                    actor,
                )
            elif not review.passed:
                codes = ", ".join(sorted({f["code"] for f in errors}))
                observe(
                    run,
                    step.key,
                    f"review #{review.pk} failed: {len(errors)} error(s) ({codes})",
                    actor,
                )
            else:
                _pass(run, state, step.key, review, actor)
            return


def _pass(run: PlaybookRun, state: Run, key: str, review: AppReview, actor: Any) -> None:
    """A passing review opens the step, recording which review it was."""
    _by, label = actor_parts(actor)
    detail = {
        "review": review.pk,
        "passed": True,
        "warnings": len(review.findings),
        "archive": review.archive_name,
    }
    commit_step(run, state, Record(key, label, review.created_at, detail=detail), actor)
