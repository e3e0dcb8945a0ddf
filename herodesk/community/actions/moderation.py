"""The moderation queue: posts held for a moderator are approved or rejected."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.community import signals
from herodesk.community.actions.answers import publish
from herodesk.community.actions.questions import require_moderator
from herodesk.community.authors import Author
from herodesk.community.models import Account, Answer, Question, State
from herodesk.lib.errors import Conflict


def _trust(account_id: int | None) -> None:
    if account_id is not None:
        Account.objects.filter(pk=account_id).update(approved_posts=F("approved_posts") + 1)


@transaction.atomic
def question_approve(question: Question, author: Author) -> Question:
    require_moderator(author, "approve held questions")
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not question.held_reason:
        raise Conflict(f"question {question.pk} is not waiting for a moderator")
    reason = question.held_reason
    question.held_reason = ""
    question.is_public = question.state != State.HIDDEN
    question.save(update_fields=["held_reason", "is_public"])
    _trust(question.account_id)
    record(author.actor, "community.question.approved", question, before={"held": reason})
    if question.is_public:
        signals.question_published.send(Question, question=question)
    return question


@transaction.atomic
def answer_approve(answer: Answer, author: Author) -> Answer:
    require_moderator(author, "approve held answers")
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if not answer.held_reason:
        raise Conflict(f"answer {answer.pk} is not waiting for a moderator")
    reason = answer.held_reason
    answer.held_reason = ""
    answer.save(update_fields=["held_reason"])
    _trust(answer.account_id)
    record(author.actor, "community.answer.approved", answer, before={"held": reason})
    if not answer.hidden:
        publish(answer, timezone.now())
    return answer


@transaction.atomic
def question_reject(question: Question, author: Author) -> Question:
    """A held question is spam or off-topic: it is hidden (kept for the audit trail)."""
    require_moderator(author, "reject held questions")
    question = Question.objects.select_for_update().get(pk=question.pk)
    reason = question.held_reason
    question.held_reason, question.state, question.is_public = "", State.HIDDEN, False
    question.save(update_fields=["held_reason", "state", "is_public"])
    record(author.actor, "community.question.rejected", question, before={"held": reason})
    return question


@transaction.atomic
def answer_reject(answer: Answer, author: Author) -> Answer:
    require_moderator(author, "reject held answers")
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    reason = answer.held_reason
    answer.held_reason, answer.hidden = "", True
    answer.save(update_fields=["held_reason", "hidden"])
    record(author.actor, "community.answer.rejected", answer, before={"held": reason})
    return answer
