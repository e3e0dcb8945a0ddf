"""The desk side of community questions: each event on the site becomes an
intake delivery on the `community` channel (stored and queued in the same
transaction as the change), which herodesk.intake.community.adapter turns into
the T4 desk item, its replies and its status."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.dispatch import receiver

from herodesk.community import mail, signals
from herodesk.community.authors import Author
from herodesk.community.models import Answer, Question
from herodesk.intake.base import accept

CHANNEL = "community"


def question_data(q: Question) -> dict[str, Any]:
    email, _first = mail.asker_address(q)
    return {
        "id": q.pk,
        "page": q.page,
        "page_url": docs_url(q.page),
        "topic": q.topic.slug if q.topic else "",
        "topic_name": q.topic.name if q.topic else "",
        "topic_slack_channel": q.topic.slack_channel if q.topic else "",
        "title": q.title,
        "body": q.body,
        "url": mail.question_url(q.pk),
        "asker": {"email": email, "name": q.author_name},
    }


def docs_url(page: str) -> str:
    """The docs page itself, when the docs site's address is known (first allowed origin)."""
    origins = getattr(settings, "HERODESK_COMMUNITY_ORIGINS", [])
    return f"{origins[0].rstrip('/')}{page}" if origins else ""


def _send(key: str, event: str, data: dict[str, Any]) -> None:
    accept(CHANNEL, key, event, {"content-type": "application/json"}, json.dumps(data).encode())


@receiver(signals.question_published, dispatch_uid="community.desk.question")
def on_question_published(sender: Any, question: Question, **kwargs: Any) -> None:
    _send(f"question:{question.pk}", "question.published", {"question": question_data(question)})


@receiver(signals.answer_published, dispatch_uid="community.desk.answer")
def on_answer_published(sender: Any, answer: Answer, question: Question, **kwargs: Any) -> None:
    by_asker = (answer.account_id is not None and answer.account_id == question.account_id) or (
        answer.user_id is not None and answer.user_id == question.user_id
    )
    data = {
        "question": question_data(question),
        "answer": {
            "id": answer.pk,
            "body": answer.body,
            "url": mail.answer_url(answer),
            "author": answer.author_name,
            "team_user_id": answer.user_id if answer.by_team and not by_asker else None,
            "by_asker": by_asker,
        },
    }
    _send(f"answer:{answer.pk}", "answer.published", data)


@receiver(signals.question_state_changed, dispatch_uid="community.desk.state")
def on_state_changed(
    sender: Any, question: Question, before: str, after: str, actor: Author, **kwargs: Any
) -> None:
    data = {
        "question": question_data(question),
        "state": {"before": before, "after": after, "by": actor.name},
    }
    _send(f"state:{question.pk}:{uuid.uuid4().hex}", "question.state", data)


@receiver(signals.question_edited, dispatch_uid="community.desk.edited")
def on_question_edited(
    sender: Any, question: Question, before: dict[str, Any], actor: Author, **kwargs: Any
) -> None:
    """The desk item follows the title (its subject) and shows an edited body."""
    if not question.is_public or not ({"title", "body"} & set(before)):
        return  # held or hidden: no desk item to follow; a topic alone changes nothing there
    data = {
        "question": question_data(question),
        "edit": {"fields": sorted({"title", "body"} & set(before)), "by": actor.name},
    }
    _send(f"edit:{question.pk}:{uuid.uuid4().hex}", "question.edited", data)
