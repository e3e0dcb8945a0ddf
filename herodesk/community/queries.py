"""Reads for the community pages, the embed and the API (fixed query counts)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from herodesk.community.authors import Author
from herodesk.community.models import Answer, Question, State, Topic
from herodesk.lib.errors import NotFound
from herodesk.lib.prepared import Prepared, PreparedRows

PAGE_SIZE = 50
# What a question list needs, without the bodies.
LIST_FIELDS = (
    "id",
    "page",
    "title",
    "state",
    "answer_count",
    "author_name",
    "created_at",
    "last_activity_at",
    "accepted_answer_id",
    "topic_id",
)

# The embed asks this for every docs page view: compile its SQL once (core/prepared.py).
_PAGE = Prepared(
    Question,
    lambda page: (
        Question.objects.filter(page=page, is_public__in=[True])
        .select_related("topic")
        .only(*LIST_FIELDS, "topic__slug", "topic__name")
        .order_by("-last_activity_at", "-id")[:PAGE_SIZE]
    ),
)


def page_questions(page: str) -> list[Question]:
    """The public questions asked on one docs page, most recently active first (50)."""
    return _PAGE.all(page)


# The same list as plain rows for the embed's JSON (no model instances to build).
PAGE_ROW = ("id", "page", "topic__slug", "title", "state", "answer_count")
_PAGE_ROWS = PreparedRows(
    Question,
    lambda page: (
        Question.objects.filter(page=page, is_public__in=[True])
        .order_by("-last_activity_at", "-id")
        .values_list(*PAGE_ROW)[:PAGE_SIZE]
    ),
)


def page_question_rows(page: str) -> list[tuple[Any, ...]]:
    """page_questions as (id, page, topic slug or None, title, state, answer count)."""
    return _PAGE_ROWS.all(page)


def _list(qs: QuerySet[Question], offset: int, limit: int) -> list[Question]:
    qs = (
        qs.filter(is_public__in=[True])
        .select_related("topic")
        .only(*LIST_FIELDS, "topic__slug", "topic__name")
    )
    return list(qs.order_by("-last_activity_at", "-id")[offset : offset + limit])


def topic_questions(topic: Topic, offset: int = 0, limit: int = PAGE_SIZE) -> list[Question]:
    return _list(Question.objects.filter(topic=topic), offset, limit)


def recent_questions(offset: int = 0, limit: int = PAGE_SIZE) -> list[Question]:
    return _list(Question.objects.all(), offset, limit)


def untopiced_questions(offset: int = 0, limit: int = PAGE_SIZE) -> list[Question]:
    return _list(Question.objects.filter(topic__isnull=True), offset, limit)


def topics() -> list[Topic]:
    """Every topic with its count of public and of open questions (one query)."""
    public = Q(questions__is_public=True)
    return list(
        Topic.objects.annotate(
            public_count=Count("questions", filter=public),
            open_count=Count("questions", filter=public & Q(questions__state=State.OPEN)),
        ).order_by("position", "name")
    )


def topic_by_slug(slug: str) -> Topic:
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise NotFound(f"topic {slug!r} does not exist")
    return topic


def can_see(question: Question, author: Author | None) -> bool:
    if question.is_public:
        return True
    if author is None:
        return False
    return author.is_moderator or (question.is_asker(author) and question.state != State.HIDDEN)


def question(pk: int, author: Author | None = None) -> Question:
    """A question this viewer may see (NotFound otherwise: held and hidden ones stay secret)."""
    found = (
        Question.objects.select_related("topic", "account", "user").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if found is None or not can_see(found, author):
        raise NotFound(f"question {pk} does not exist")
    return found


def answers(question: Question, author: Author | None = None) -> list[Answer]:
    """Public answers; the author's own held ones; everything for moderators."""
    rows = list(question.answers.order_by("created_at", "id"))
    if author is not None and author.is_moderator:
        return rows
    return [a for a in rows if a.is_public or is_own(a, author)]


def is_own(answer: Answer, author: Author | None) -> bool:
    if author is None or answer.hidden:
        return False
    if author.account is not None and answer.account_id == author.account.pk:
        return True
    return author.user is not None and answer.user_id == author.user.pk


def answer(question: Question, pk: Any, author: Author | None = None) -> Answer:
    for row in answers(question, author):
        if row.pk == pk:
            return row
    raise NotFound(f"answer {pk} does not exist on question {question.pk}")


def held() -> tuple[list[Question], list[Answer]]:
    """What waits for a moderator, oldest first."""
    questions = list(
        Question.objects.exclude(held_reason="").exclude(state=State.HIDDEN).order_by("created_at")
    )
    waiting = (
        Answer.objects.exclude(held_reason="")
        .filter(hidden=False)
        .select_related("question")
        .order_by("created_at")
    )
    return questions, list(waiting)
