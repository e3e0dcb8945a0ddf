"""Changing questions and answers: edit, resolve, accept, lock, hide, and the
moderation queue of held posts. Every change goes through community actions
(which check who may do it and write the audit log)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from herodesk.community import actions, queries
from herodesk.community.authors import Author
from herodesk.community.models import Answer, State, Topic
from herodesk.lib.errors import ActionError, Forbidden, NotFound
from herodesk.web.community.common import author_or_none, error_page, login_url, page

QUESTION_ACTIONS = {
    "resolve": State.RESOLVED,
    "reopen": State.OPEN,
    "lock": State.LOCKED,
    "unlock": State.OPEN,
    "hide": State.HIDDEN,
    "unhide": State.OPEN,
}


def _author(request: HttpRequest) -> Author:
    author = author_or_none(request)
    if author is None:
        raise Forbidden("log in first")
    return author


def _question(request: HttpRequest, pk: int) -> tuple[Author | None, Any]:
    author = author_or_none(request)
    try:
        return author, queries.question(pk, author)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _refused(request: HttpRequest, exc: ActionError) -> HttpResponse:
    return page(request, "message.html", {"title": "Not done", "lines": [exc.message]},
                status=exc.status_code)  # fmt: skip


def _back(pk: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("community:question", args=[pk]) + anchor)


@require_POST
def question_act(request: HttpRequest, pk: int) -> HttpResponse:
    author, question = _question(request, pk)
    if author is None:
        return redirect(login_url(request))
    action = request.POST.get("action", "")
    try:
        if action == "accept":
            answer = queries.answer(question, _int(request.POST.get("answer")), author)
            actions.question_resolve(question, author, answer)
        elif action == "approve":
            actions.question_approve(question, author)
        elif action == "reject":
            actions.question_reject(question, author)
        elif action in QUESTION_ACTIONS:
            actions.question_set_state(question, author, QUESTION_ACTIONS[action])
        else:
            return _refused(request, ActionError(f"unknown action {action!r}"))
    except ActionError as exc:
        return _refused(request, exc)
    if action in ("hide", "reject") and not author.is_moderator:
        return redirect(reverse("community:home"))
    return _back(pk)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    author, question = _question(request, pk)
    if author is None:
        return redirect(login_url(request))
    values = {
        "title": request.POST.get("title", question.title),
        "body": request.POST.get("body", question.body),
        "topic": request.POST.get("topic", question.topic.slug if question.topic_id else ""),
    }
    ctx = {"question": question, "values": values, "topics": list(Topic.objects.all())}
    if request.method != "POST":
        if not (author.is_moderator or question.is_asker(author)):  # no form it cannot send
            return _refused(request, Forbidden("only the asker or a moderator can edit it"))
        return page(request, "edit.html", ctx)
    try:
        actions.question_edit(
            question, author, title=values["title"], body=values["body"], topic=values["topic"]
        )
    except ActionError as exc:
        return error_page(request, "edit.html", ctx, exc)
    return _back(pk)


def _answer(request: HttpRequest, pk: int) -> tuple[Author, Answer]:
    author = _author(request)
    row = Answer.objects.select_related("question").filter(pk=pk).first()
    if row is None or not queries.can_see(row.question, author):
        raise Http404(f"answer {pk} does not exist")
    try:
        return author, queries.answer(row.question, pk, author)
    except NotFound as exc:
        raise Http404(exc.message) from None


def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        author, answer = _answer(request, pk)
    except Forbidden:
        return redirect(login_url(request))
    body = request.POST.get("body", answer.body)
    ctx = {"answer": answer, "values": {"body": body}}
    if request.method != "POST":
        if not (author.is_moderator or queries.is_own(answer, author)):
            return _refused(request, Forbidden("only its author or a moderator can edit it"))
        return page(request, "answer_edit.html", ctx)
    try:
        actions.answer_edit(answer, author, body=body)
    except ActionError as exc:
        return error_page(request, "answer_edit.html", ctx, exc)
    return _back(answer.question_id, f"#a{pk}")


@require_POST
def answer_act(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        author, answer = _answer(request, pk)
    except Forbidden:
        return redirect(login_url(request))
    action = request.POST.get("action", "")
    try:
        if action in ("hide", "show"):
            actions.answer_set_hidden(answer, author, action == "hide")
        elif action == "approve":
            actions.answer_approve(answer, author)
        elif action == "reject":
            actions.answer_reject(answer, author)
        else:
            return _refused(request, ActionError(f"unknown action {action!r}"))
    except ActionError as exc:
        return _refused(request, exc)
    return _back(answer.question_id, f"#a{pk}")


def queue(request: HttpRequest) -> HttpResponse:
    author = author_or_none(request)
    if author is None:
        return redirect(login_url(request))
    if not author.is_moderator:
        return _refused(request, Forbidden("only moderators see the moderation queue"))
    questions, answers = queries.held()
    return page(request, "moderation.html", {"held_questions": questions, "held_answers": answers})
