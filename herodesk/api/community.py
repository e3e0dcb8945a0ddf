"""The community API under /community/api/ (its own NinjaAPI; names are a contract).

Who is calling: `Authorization: Bearer hc_…` (a community token), `Bearer hd_…`
(a staff API token: answers post as Team), or the session of the community
site or of the desk (then CSRF applies to writes). Reads are public. The
staff API (/api/v1/) never accepts a community token: they live in separate
tables.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Status
from ninja.errors import ValidationError
from ninja.utils import check_csrf

from herodesk.api.auth import BearerAuth
from herodesk.api.community_schemas import (
    AccountIn,
    AccountOut,
    AnswerIn,
    AnswerOut,
    Error,
    QuestionIn,
    QuestionItem,
    QuestionOut,
    QuestionPatch,
    ResolveIn,
    TokenIn,
    TokenOut,
    account_out,
    answer_out,
    question_out,
    question_row,
)
from herodesk.api.docs import LocalSwagger
from herodesk.api.parser import SingleValueParser
from herodesk.community import actions, page_cache, queries, session, spam
from herodesk.community.actions.questions import clean_page
from herodesk.community.authors import Author
from herodesk.community.errors import TooMany, Unauthorized
from herodesk.community.models import State
from herodesk.lib.errors import ActionError, Forbidden

community_api = NinjaAPI(
    title="HeroDesk community API",
    version="1",
    urls_namespace="community_api",
    docs_url="/docs",
    docs=LocalSwagger(),
    auth=None,
    parser=SingleValueParser(),
)
ERRORS: dict[int, Any] = {
    400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error,
}  # fmt: skip


def _bearer(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def author_of(request: HttpRequest, *, write: bool = False) -> Author | None:
    """The caller: a community token, a staff token, or a session (CSRF-checked for writes)."""
    token = _bearer(request)
    if token is not None:
        account = actions.account_for_token(token)
        if account is not None:
            return Author(account=account)
        user = BearerAuth().authenticate(request, token)
        found = Author.of(user=user) if user is not None else None
        if found is None:
            raise Unauthorized("this token is not valid (a community token or a staff API token)")
        return found
    found = session.author(request)
    if found is not None and write and check_csrf(request) is not None:
        raise Forbidden("CSRF check failed: send the X-CSRFToken header with the session")
    return found


def require_author(request: HttpRequest) -> Author:
    found = author_of(request, write=True)
    if found is None:
        raise Unauthorized(
            "log in first: send Authorization: Bearer <token> (POST /community/api/tokens)"
        )
    return found


@community_api.exception_handler(ActionError)
def action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
    response = community_api.create_response(
        request, {"detail": exc.message, "field": exc.field}, status=exc.status_code
    )
    if isinstance(exc, TooMany):
        response["Retry-After"] = str(exc.retry_after)
    return response


@community_api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    names = [str(p) for p in first.get("loc", ()) if not isinstance(p, int)]
    names = [n for n in names if n not in ("body", "payload", "query")]
    detail = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
        for e in exc.errors
    )
    return community_api.create_response(
        request, {"detail": detail or "invalid input", "field": names[-1] if names else None},
        status=422,
    )  # fmt: skip


@community_api.post("/accounts", response={201: AccountOut, **ERRORS})
def create_account(request: HttpRequest, data: AccountIn) -> Any:
    spam.honeypot(data.website)
    spam.limit(request, "signup")
    account = actions.account_create(email=data.email, name=data.name, password=data.password)
    detail = f"A verification link is being emailed to {account.email}; open it to go public."
    return Status(201, account_out(account, detail))


@community_api.post("/tokens", response={201: TokenOut, **ERRORS})
def create_token(request: HttpRequest, data: TokenIn) -> Any:
    spam.limit(request, "login")
    account = actions.account_authenticate(data.email, data.password)
    return Status(
        201, {"token": actions.account_token_create(account), "account": account_out(account)}
    )


@community_api.get("/me", response={200: AccountOut, **ERRORS})
def me(request: HttpRequest) -> Any:
    found = require_author(request)
    if found.account is None:
        return {"id": 0, "email": found.email, "name": f"{found.name} (Team)", "verified": True,
                "moderator": True}  # fmt: skip
    return account_out(found.account)


@community_api.get("/questions", response={200: list[QuestionItem], **ERRORS})
def list_questions(request: HttpRequest, page: str) -> Any:
    """What the embed asks on every docs page view: served from the per-page
    cache (community.page_cache) when nothing changed, as ready JSON."""
    page = clean_page(page)
    payload, tag = page_cache.lookup(page)
    if payload is None:
        rows = [question_row(row) for row in queries.page_question_rows(page)]
        payload = json.dumps(rows, separators=(",", ":"), ensure_ascii=False).encode()
        page_cache.store(page, tag, payload)
    return HttpResponse(payload, content_type="application/json; charset=utf-8")


@community_api.post("/questions", response={201: QuestionOut, **ERRORS})
def ask(request: HttpRequest, data: QuestionIn) -> Any:
    spam.honeypot(data.website)
    found = require_author(request)
    spam.limit(request, "ask", found)
    question = actions.question_ask(
        found, page=data.page, title=data.title, body=data.body, topic=data.topic or None
    )
    return Status(201, question_out(question, []))


def _question(request: HttpRequest, question_id: int, write: bool = False) -> Any:
    found = require_author(request) if write else author_of(request)
    return found, queries.question(question_id, found)


@community_api.get("/questions/{question_id}", response={200: QuestionOut, **ERRORS})
def get_question(request: HttpRequest, question_id: int) -> Any:
    found, question = _question(request, question_id)
    return question_out(question, queries.answers(question, found))


@community_api.patch("/questions/{question_id}", response={200: QuestionOut, **ERRORS})
def edit_question(request: HttpRequest, question_id: int, data: QuestionPatch) -> Any:
    found, question = _question(request, question_id, write=True)
    question = actions.question_edit(
        question, found, title=data.title, body=data.body, topic=data.topic
    )
    return question_out(queries.question(question.pk, found), queries.answers(question, found))


@community_api.post("/questions/{question_id}/answers", response={201: AnswerOut, **ERRORS})
def post_answer(request: HttpRequest, question_id: int, data: AnswerIn) -> Any:
    spam.honeypot(data.website)
    found, question = _question(request, question_id, write=True)
    spam.limit(request, "answer", found)
    answer = actions.answer_post(question, found, body=data.body)
    return Status(201, answer_out(answer, None))


def _set_state(request: HttpRequest, question_id: int, state: str, answer: Any = None) -> Any:
    found, question = _question(request, question_id, write=True)
    accepted = queries.answer(question, answer, found) if answer is not None else None
    question = actions.question_set_state(question, found, state, answer=accepted)
    return question_out(queries.question(question.pk, found), queries.answers(question, found))


@community_api.post("/questions/{question_id}/resolve", response={200: QuestionOut, **ERRORS})
def resolve(request: HttpRequest, question_id: int, data: ResolveIn | None = None) -> Any:
    return _set_state(request, question_id, State.RESOLVED, data.answer if data else None)


@community_api.post("/questions/{question_id}/reopen", response={200: QuestionOut, **ERRORS})
def reopen(request: HttpRequest, question_id: int) -> Any:
    return _set_state(request, question_id, State.OPEN)


@community_api.post("/questions/{question_id}/lock", response={200: QuestionOut, **ERRORS})
def lock(request: HttpRequest, question_id: int) -> Any:
    return _set_state(request, question_id, State.LOCKED)


@community_api.post("/questions/{question_id}/hide", response={200: QuestionOut, **ERRORS})
def hide(request: HttpRequest, question_id: int) -> Any:
    return _set_state(request, question_id, State.HIDDEN)
