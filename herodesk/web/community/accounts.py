"""Community accounts on the site: sign up, log in and out, verify, reset, unsubscribe."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from herodesk.community import actions, mail, session, spam
from herodesk.community.models import Question
from herodesk.lib.errors import ActionError
from herodesk.web.community.common import error_page, next_url, page


def signup(request: HttpRequest) -> HttpResponse:
    values = {k: request.POST.get(k, "") for k in ("email", "name")}
    ctx = {"values": values, "next": next_url(request, "")}
    if request.method != "POST":
        return page(request, "signup.html", ctx)
    try:
        spam.honeypot(request.POST.get(spam.HONEYPOT))
        spam.limit(request, "signup")
        account = actions.account_create(
            email=values["email"], name=values["name"], password=request.POST.get("password", "")
        )
    except ActionError as exc:
        return error_page(request, "signup.html", ctx, exc)
    session.login(request, account)
    return page(
        request,
        "message.html",
        {
            "title": "Check your email",
            "lines": [
                f"We are emailing a verification link to {account.email}.",
                "You can ask and answer right away; your posts go public once you open the link.",
            ],
            "link": next_url(request, reverse("community:home")),
            "link_label": "Continue",
        },
        status=201,
    )


def login(request: HttpRequest) -> HttpResponse:
    values = {"email": request.POST.get("email", "")}
    ctx = {"values": values, "next": next_url(request, "")}
    if request.method != "POST":
        return page(request, "login.html", ctx)
    try:
        spam.limit(request, "login")
        account = actions.account_authenticate(values["email"], request.POST.get("password", ""))
    except ActionError as exc:
        return error_page(request, "login.html", ctx, exc)
    session.login(request, account)
    return redirect(next_url(request, reverse("community:home")))


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    session.logout(request)
    return redirect(reverse("community:home"))


def verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        account = actions.account_verify(uidb64, token)
    except ActionError as exc:
        return page(
            request, "message.html", {"title": "Link not valid", "lines": [exc.message]}, status=400
        )
    return page(
        request,
        "message.html",
        {
            "title": "Email confirmed",
            "lines": [f"Thanks, {account.name}: your questions and answers are public now."],
            "link": reverse("community:home"),
            "link_label": "Back to the community",
        },
    )


@require_POST
def verify_again(request: HttpRequest) -> HttpResponse:
    account = session.account(request)
    if account is None:
        return redirect(reverse("community:login"))
    try:
        spam.limit(request, "signup")
    except ActionError as exc:
        return page(request, "message.html", {"title": "Slow down", "lines": [exc.message]},
                    status=exc.status_code)  # fmt: skip
    sent = actions.resend_verification(account)
    line = (
        f"A new verification link is being emailed to {account.email}."
        if sent
        else "Your email address is already confirmed."
    )
    return page(request, "message.html", {"title": "Verification", "lines": [line]})


def reset(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return page(request, "reset.html", {})
    try:
        spam.limit(request, "login")
    except ActionError as exc:
        return error_page(request, "reset.html", {}, exc)
    email = request.POST.get("email", "")
    actions.password_reset_request(email)
    lines = [
        f"If {email.strip()} has a community account, a link to choose a new password "
        "is on its way to it."
    ]
    return page(request, "message.html", {"title": "Check your email", "lines": lines})


def reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    if request.method != "POST":
        return page(request, "reset_confirm.html", {})
    try:
        account = actions.password_reset_confirm(uidb64, token, request.POST.get("password", ""))
    except ActionError as exc:
        return error_page(request, "reset_confirm.html", {}, exc)
    session.login(request, account)
    return page(
        request,
        "message.html",
        {"title": "Password changed", "lines": ["You are logged in with your new password."],
         "link": reverse("community:home"), "link_label": "Continue"},
    )  # fmt: skip


@csrf_exempt  # RFC 8058 one-click unsubscribe POSTs from the mail client; the token is the check
def unsubscribe(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    question = Question.objects.filter(pk=pk).first()
    if question is None or not mail.unsubscribe_ok(pk, token):
        raise Http404("this unsubscribe link is not valid")
    if request.method != "POST":
        return page(request, "unsubscribe.html", {"question": question, "token": token})
    actions.question_set_notify(question, False, actor="community:unsubscribe-link")
    return page(
        request,
        "message.html",
        {"title": "Unsubscribed", "lines": [f"No more emails about “{question.title}”."],
         "link": reverse("community:question", args=[pk]), "link_label": "Back to the question"},
    )  # fmt: skip
