"""Public community pages: topics, a docs page's questions, a question, the ask form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from herodesk.community import actions, queries, spam
from herodesk.community.actions.questions import clean_page
from herodesk.community.models import Topic
from herodesk.lib.errors import ActionError, Invalid, NotFound
from herodesk.web.community.common import author_or_none, error_page, login_url, page

EMBED_DIR = Path(__file__).resolve().parent.parent / "static" / "community"
EMBED_TYPES = {"embed.js": "text/javascript", "embed.css": "text/css"}


def _offset(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("offset", "0")), 0)
    except ValueError:
        return 0


def _listing(request: HttpRequest, title: str, rows: list[Any], **extra: Any) -> HttpResponse:
    offset = _offset(request)
    more = len(rows) == queries.PAGE_SIZE
    return page(
        request,
        "list.html",
        {
            "title": title,
            "questions": rows,
            "offset": offset,
            "next_offset": offset + queries.PAGE_SIZE if more else None,
            "prev_offset": max(offset - queries.PAGE_SIZE, 0) if offset else None,
            **extra,
        },
    )


@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    topics = queries.topics()
    recent = queries.recent_questions(0, 15)
    return page(request, "home.html", {"topics": topics, "recent": recent})


@require_http_methods(["GET", "HEAD"])
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        found = queries.topic_by_slug(slug)
    except NotFound as exc:
        raise Http404(exc.message) from None
    rows = queries.topic_questions(found, _offset(request))
    return _listing(request, found.name, rows, topic=found, description=found.description)


@require_http_methods(["GET", "HEAD"])
def docs_page(request: HttpRequest, path: str) -> HttpResponse:
    try:
        docs_page = clean_page("/" + path)
    except Invalid as exc:
        raise Http404(exc.message) from None
    rows = queries.page_questions(docs_page)
    return _listing(request, f"Questions about {docs_page}", rows, docs_page=docs_page)


def ask(request: HttpRequest) -> HttpResponse:
    author = author_or_none(request)
    values = {
        "page": request.POST.get("page", request.GET.get("page", "")),
        "title": request.POST.get("title", ""),
        "body": request.POST.get("body", ""),
        "topic": request.POST.get("topic", request.GET.get("topic", "")),
    }
    ctx = {"values": values, "topics": list(Topic.objects.all())}
    if request.method != "POST":
        return page(request, "ask.html", ctx)
    if author is None:
        return redirect(login_url(request))
    try:
        spam.honeypot(request.POST.get(spam.HONEYPOT))
        spam.limit(request, "ask", author)
        question = actions.question_ask(
            author,
            page=values["page"],
            title=values["title"],
            body=values["body"],
            topic=values["topic"] or None,
        )
    except ActionError as exc:
        return error_page(request, "ask.html", ctx, exc)
    return redirect(reverse("community:question", args=[question.pk]))


def question(request: HttpRequest, pk: int) -> HttpResponse:
    """A question with its answers; POST answers it."""
    author = author_or_none(request)
    try:
        found = queries.question(pk, author)
    except NotFound as exc:
        raise Http404(exc.message) from None
    ctx = _question_context(found, author)
    if request.method != "POST":
        return page(request, "question.html", ctx)
    if author is None:
        return redirect(login_url(request))
    body = request.POST.get("body", "")
    try:
        spam.honeypot(request.POST.get(spam.HONEYPOT))
        spam.limit(request, "answer", author)
        answer = actions.answer_post(found, author, body=body)
    except ActionError as exc:
        return error_page(request, "question.html", {**ctx, "draft": body}, exc)
    return redirect(f"{reverse('community:question', args=[found.pk])}#a{answer.pk}")


def _question_context(found: Any, author: Any) -> dict[str, Any]:
    answers = queries.answers(found, author)
    for a in answers:
        a.mine = queries.is_own(a, author)  # type: ignore[attr-defined]
    is_asker = bool(author and found.is_asker(author))
    moderator = bool(author and author.is_moderator)
    return {
        "question": found,
        "answers": answers,
        "is_asker": is_asker,
        "can_accept": moderator or (is_asker and found.state in ("open", "resolved")),
        "can_answer": found.state in ("open", "resolved") and not found.held_reason,
    }


@require_http_methods(["GET", "HEAD"])
def embed_asset(request: HttpRequest, name: str) -> FileResponse:
    """The embeddable snippet and its shadow-root stylesheet, at stable addresses."""
    path = EMBED_DIR / name
    if name not in EMBED_TYPES or not path.exists():
        raise Http404(f"{name} is missing")
    response = FileResponse(path.open("rb"), content_type=f"{EMBED_TYPES[name]}; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
