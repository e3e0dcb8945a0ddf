"""Questions: ask, edit, change state (resolve, lock, hide, reopen), accept an answer."""

from __future__ import annotations

import fnmatch
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.community import conf, markdown, signals
from herodesk.community.authors import Author
from herodesk.community.models import (
    HELD_LINKS,
    HELD_UNVERIFIED,
    Account,
    Answer,
    Question,
    State,
    Topic,
)
from herodesk.lib.errors import Conflict, Forbidden, Invalid

MAX_PAGE = 300
PAGE_RE = re.compile(r"^/[\w\-./~%+@:]*$")


def clean_page(page: str) -> str:
    """A docs page path: "/docs/feature-flags" (a full URL gives its path; no query)."""
    raw = (page or "").strip()
    if raw.startswith(("http://", "https://")):
        raw = urlsplit(raw).path or "/"
    raw = raw.split("?", 1)[0].split("#", 1)[0]
    if len(raw) > 1:
        raw = raw.rstrip("/")
    if not raw or not PAGE_RE.match(raw) or "//" in raw:
        raise Invalid(
            'page must be a path on the docs site, like "/docs/feature-flags"', field="page"
        )
    if len(raw) > MAX_PAGE:
        raise Invalid(f"page must be at most {MAX_PAGE} characters", field="page")
    return raw


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise Invalid("title must not be empty", field="title")
    if len(title) > conf.max_title():
        raise Invalid(f"title must be at most {conf.max_title()} characters", field="title")
    return title


def clean_body(body: str) -> str:
    # Forms send CRLF line ends, the API LF: store one kind, so an unchanged body compares equal.
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid("body must not be empty", field="body")
    if len(body) > conf.max_body():
        raise Invalid(
            f"body must be at most {conf.max_body()} characters (it has {len(body)})", field="body"
        )
    return body


def topic_for(page: str, slug: str | None = None) -> Topic | None:
    """The named topic (Invalid if unknown), else the first whose paths match the page."""
    if slug:
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            raise Invalid(f"unknown topic {slug!r}", field="topic")
        return topic
    for topic in Topic.objects.exclude(paths=[]):
        for pattern in topic.paths or []:
            if fnmatch.fnmatchcase(page, pattern) or page == str(pattern).rstrip("/*"):
                return topic
    return None


def hold_reason(author: Author, text: str) -> str:
    """Why this post must wait before it goes public ("" when it need not)."""
    account = author.account
    if author.is_team or account is None or account.is_moderator:
        return ""
    if not account.is_verified:
        return HELD_UNVERIFIED
    if account.approved_posts == 0 and markdown.has_links(text):
        return HELD_LINKS
    return ""


def count_public_post(author: Author) -> None:
    if author.account is not None:
        Account.objects.filter(pk=author.account.pk).update(approved_posts=F("approved_posts") + 1)


@transaction.atomic
def question_ask(
    author: Author,
    *,
    page: str,
    title: str,
    body: str,
    topic: str | None = None,
    at: datetime | None = None,
) -> Question:
    """Ask on a docs page. Public at once, or held (see hold_reason)."""
    page, title, body = clean_page(page), clean_title(title), clean_body(body)
    found_topic = topic_for(page, topic)
    at = at or timezone.now()
    held = hold_reason(author, f"{title}\n{body}")
    question = Question.objects.create(
        page=page,
        topic=found_topic,
        title=title,
        body=body,
        body_html=markdown.render(body),
        held_reason=held,
        is_public=not held,
        account=author.account,
        user=author.user,
        author_name=author.name,
        created_at=at,
        updated_at=at,
        last_activity_at=at,
    )
    record(
        author.actor,
        "community.question.asked",
        question,
        at=at,
        after={"page": page, "title": title, "topic": found_topic.slug if found_topic else None,
               "held": held},
    )  # fmt: skip
    if not held:
        count_public_post(author)
        signals.question_published.send(Question, question=question)
    return question


def _locked(pk: int) -> Question:
    return Question.objects.select_for_update(of=("self",)).select_related("account").get(pk=pk)


def require_asker_or_moderator(question: Question, author: Author, what: str) -> None:
    if not (author.is_moderator or question.is_asker(author)):
        raise Forbidden(f"only the asker or a moderator can {what}")


def require_moderator(author: Author, what: str) -> None:
    if not author.is_moderator:
        raise Forbidden(f"only a moderator can {what}")


@transaction.atomic
def question_edit(
    question: Question,
    author: Author,
    *,
    title: str | None = None,
    body: str | None = None,
    topic: str | None = None,
) -> Question:
    """The asker or a moderator edits the title, body or topic."""
    question = _locked(question.pk)
    require_asker_or_moderator(question, author, "edit this question")
    if question.state == State.LOCKED and not author.is_moderator:
        raise Conflict("this question is locked; only a moderator can edit it")
    before = {"title": question.title, "body": question.body, "topic": question.topic_id}
    if title is not None:
        question.title = clean_title(title)
    if body is not None:
        question.body = clean_body(body)
        question.body_html = markdown.render(question.body)
    if topic is not None:
        question.topic = topic_for(question.page, topic) if topic else None
    question.updated_at = timezone.now()
    question.save()
    after = {"title": question.title, "body": question.body, "topic": question.topic_id}
    changed = {k: v for k, v in before.items() if after[k] != v}
    record(
        author.actor,
        "community.question.edited",
        question,
        before=changed,
        after={k: after[k] for k in changed},
    )
    if changed:
        signals.question_edited.send(
            Question,
            question=question,
            before=changed,
            after={k: after[k] for k in changed},
            actor=author,
        )
    return question


# Who may move a question to each state (from any other state).
MODERATOR_ONLY = {State.LOCKED, State.HIDDEN}


@transaction.atomic
def question_set_state(
    question: Question, author: Author, state: str, *, answer: Answer | None = None
) -> Question:
    """resolve (asker or moderator), reopen (asker of a resolved question, or a
    moderator), lock and hide (moderators). `answer` marks the accepted answer."""
    if state not in State.values:
        raise Invalid(f"state must be one of {', '.join(State.values)}", field="state")
    question = _locked(question.pk)
    before = question.state
    if state in MODERATOR_ONLY or before in MODERATOR_ONLY:
        require_moderator(author, f"change a {before} question to {state}")
    else:
        require_asker_or_moderator(question, author, f"mark this question {state}")
    if answer is not None:
        _accept(question, answer)
    if before == state and answer is None:
        return question
    question.state = state
    question.is_public = state != State.HIDDEN and not question.held_reason
    question.updated_at = timezone.now()
    question.save()
    record(
        author.actor,
        "community.question.state",
        question,
        before={"state": before},
        after={"state": state, "accepted_answer": question.accepted_answer_id},
    )
    signals.question_state_changed.send(
        Question, question=question, before=before, after=state, actor=author, answer=answer
    )
    return question


def _accept(question: Question, answer: Answer) -> None:
    if answer.question_id != question.pk:
        raise Invalid(f"answer {answer.pk} belongs to another question", field="answer")
    if not answer.is_public:
        raise Conflict(f"answer {answer.pk} is not public and cannot be accepted")
    question.accepted_answer = answer


def question_resolve(question: Question, author: Author, answer: Answer | None = None) -> Question:
    return question_set_state(question, author, State.RESOLVED, answer=answer)


@transaction.atomic
def question_set_notify(question: Question, notify: bool, *, actor: Any) -> Question:
    """Turn the asker's reply emails on or off (the unsubscribe link)."""
    Question.objects.filter(pk=question.pk).update(notify_asker=notify)
    question.notify_asker = notify
    record(actor, "community.question.notify", question, after={"notify_asker": notify})
    return question
