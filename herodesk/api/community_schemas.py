"""Schemas of the community API (/community/api/): the names are a contract (issue 13)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from herodesk.community import mail
from herodesk.community.models import Account, Answer, Question


class Error(Schema):
    detail: str
    field: str | None = None


class AccountIn(Schema):
    email: str
    name: str
    password: str
    website: str | None = Field(None, description="honeypot: leave empty")


class AccountOut(Schema):
    id: int
    email: str
    name: str
    verified: bool
    moderator: bool
    detail: str = ""


class TokenIn(Schema):
    email: str
    password: str


class TokenOut(Schema):
    token: str
    account: AccountOut


class QuestionIn(Schema):
    page: str
    title: str
    body: str
    topic: str | None = None
    website: str | None = Field(None, description="honeypot: leave empty")


class QuestionPatch(Schema):
    title: str | None = None
    body: str | None = None
    topic: str | None = Field(None, description='a topic slug; "" removes the topic')


class AnswerIn(Schema):
    body: str
    website: str | None = Field(None, description="honeypot: leave empty")


class ResolveIn(Schema):
    answer: int | None = Field(None, description="the accepted answer's id")


class QuestionItem(Schema):
    id: int
    page: str
    topic: str | None
    title: str
    state: str
    answers: int
    url: str


class AnswerOut(Schema):
    id: int
    author: str
    team: bool = Field(description="written by the HeroDesk team (staff)")
    body: str
    body_html: str
    created_at: str
    accepted: bool
    held: str = Field("", description="why it is not public yet ('' when it is)")
    hidden: bool = False
    url: str


class QuestionOut(Schema):
    id: int
    page: str
    topic: str | None
    topic_name: str | None
    title: str
    state: str
    url: str
    author: str
    team: bool
    body: str
    body_html: str
    created_at: str
    accepted_answer: int | None
    held: str = Field("", description="why it is not public yet ('' when it is)")
    answer_count: int
    answers: list[AnswerOut]


def account_out(account: Account, detail: str = "") -> dict[str, Any]:
    return {
        "id": account.pk,
        "email": account.email,
        "name": account.name,
        "verified": account.is_verified,
        "moderator": account.is_moderator,
        "detail": detail,
    }


def question_item(q: Question) -> dict[str, Any]:
    return {
        "id": q.pk,
        "page": q.page,
        "topic": q.topic.slug if q.topic else None,
        "title": q.title,
        "state": q.state,
        "answers": q.answer_count,
        "url": mail.question_url(q.pk),
    }


def question_row(row: tuple[Any, ...]) -> dict[str, Any]:
    """question_item from a queries.page_question_rows row (the embed's hot path)."""
    pk, page, topic, title, state, answers = row
    return {"id": pk, "page": page, "topic": topic, "title": title, "state": state,
            "answers": answers, "url": mail.question_url(pk)}  # fmt: skip


def answer_out(a: Answer, accepted_id: int | None) -> dict[str, Any]:
    return {
        "id": a.pk,
        "author": a.author_name,
        "team": a.by_team,
        "body": a.body,
        "body_html": a.body_html,
        "created_at": a.created_at.isoformat(),
        "accepted": a.pk == accepted_id,
        "held": a.held_reason,
        "hidden": a.hidden,
        "url": f"{mail.question_url(a.question_id)}#a{a.pk}",
    }


def question_out(q: Question, answers: list[Answer]) -> dict[str, Any]:
    item = question_item(q)
    return {
        **item,
        "answer_count": item.pop("answers"),
        "topic_name": q.topic.name if q.topic else None,
        "author": q.author_name,
        "team": q.by_team,
        "body": q.body,
        "body_html": q.body_html,
        "created_at": q.created_at.isoformat(),
        "accepted_answer": q.accepted_answer_id,
        "held": q.held_reason,
        "answers": [answer_out(a, q.accepted_answer_id) for a in answers],
    }
