"""Answers: post (on the site, through the API, or by email), edit, hide."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.community import markdown, page_cache, signals
from herodesk.community.actions.questions import (
    clean_body,
    count_public_post,
    hold_reason,
    require_moderator,
)
from herodesk.community.authors import Author
from herodesk.community.models import Answer, Question, State
from herodesk.lib.errors import Conflict, Forbidden, NotFound


def publish(answer: Answer, at: datetime) -> None:
    """An answer went public: count it, bump the question, tell the receivers."""
    Question.objects.filter(pk=answer.question_id).update(
        answer_count=F("answer_count") + 1, last_activity_at=at, updated_at=at
    )
    question = Question.objects.select_related("account", "user").get(pk=answer.question_id)
    page_cache.page_changed(question.page)  # .update() sends no post_save
    answer.question = question
    signals.answer_published.send(Answer, answer=answer, question=question)


@transaction.atomic
def answer_post(
    question: Question,
    author: Author,
    *,
    body: str,
    at: datetime | None = None,
    by_email: bool = False,
) -> Answer:
    """Answer a question. Locked and hidden questions take no answers."""
    body = clean_body(body)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.state == State.HIDDEN or (
        question.held_reason and not (author.is_moderator or question.is_asker(author))
    ):
        raise NotFound(f"question {question.pk} does not exist")
    if question.state == State.LOCKED:
        raise Conflict("this question is locked: it takes no new answers")
    at = at or timezone.now()
    held = hold_reason(author, body)
    answer = Answer.objects.create(
        question=question,
        body=body,
        body_html=markdown.render(body),
        account=author.account,
        user=author.user,
        author_name=author.name,
        held_reason=held,
        by_email=by_email,
        created_at=at,
        updated_at=at,
    )
    record(
        author.actor,
        "community.answer.posted",
        answer,
        at=at,
        after={"question": question.pk, "held": held, "team": author.is_team, "email": by_email},
    )
    if not held:
        count_public_post(author)
        publish(answer, at)
    return answer


def _locked(answer: Answer) -> Answer:
    return (
        Answer.objects.select_for_update(of=("self",)).select_related("question").get(pk=answer.pk)
    )


@transaction.atomic
def answer_edit(answer: Answer, author: Author, *, body: str) -> Answer:
    answer = _locked(answer)
    mine = (author.account is not None and answer.account_id == author.account.pk) or (
        author.user is not None and answer.user_id == author.user.pk
    )
    if not (mine or author.is_moderator):
        raise Forbidden("only the author or a moderator can edit this answer")
    if answer.question.state == State.LOCKED and not author.is_moderator:
        raise Conflict("this question is locked; only a moderator can edit its answers")
    before = answer.body
    answer.body = clean_body(body)
    answer.body_html = markdown.render(answer.body)
    answer.updated_at = timezone.now()
    answer.save(update_fields=["body", "body_html", "updated_at"])
    record(
        author.actor, "community.answer.edited", answer, before={"body": before},
        after={"body": answer.body},
    )  # fmt: skip
    return answer


@transaction.atomic
def answer_set_hidden(answer: Answer, author: Author, hidden: bool) -> Answer:
    """A moderator hides an answer (or shows it again)."""
    require_moderator(author, "hide or show answers")
    answer = _locked(answer)
    if answer.hidden == hidden:
        return answer
    was_public = answer.is_public
    answer.hidden = hidden
    answer.updated_at = timezone.now()
    answer.save(update_fields=["hidden", "updated_at"])
    delta = (1 if answer.is_public else 0) - (1 if was_public else 0)
    if delta:
        Question.objects.filter(pk=answer.question_id).update(
            answer_count=F("answer_count") + delta
        )
    if hidden:
        Question.objects.filter(pk=answer.question_id, accepted_answer=answer).update(
            accepted_answer=None
        )
    page_cache.page_changed(answer.question.page)  # .update() sends no post_save
    record(
        author.actor,
        "community.answer.hidden" if hidden else "community.answer.shown",
        answer,
        after={"question": answer.question_id},
    )
    return answer
