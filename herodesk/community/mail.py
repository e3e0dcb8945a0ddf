"""Community emails through the outbox (herodesk.notify): the verification and
reset links, and one email to the asker for each reply.

Reply emails thread: every one answers the question's root Message-ID, which
carries an HMAC of the question id, so a reply to it (In-Reply-To/References)
can be matched to its question without trusting anything else in the mail
(`question_for_references`). Each carries a per-question unsubscribe link
(also as List-Unsubscribe with RFC 8058 one-click).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from typing import Any

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.crypto import get_random_string

from herodesk.community import tokens
from herodesk.community.models import Account, Answer, Question
from herodesk.notify import outbox
from herodesk.notify.email import mail_domain, sender
from herodesk.notify.models import Transport

UNSUBSCRIBE_SALT = "herodesk.community.unsubscribe"
THREAD_RE = re.compile(r"<community\.q(\d+)(?:\.a\d+)?\.([0-9a-f]{20})@[^>]+>")


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


_MARK = 918273645  # reversed once per prefix, then split around: lists build 50 URLs


@functools.lru_cache(maxsize=8)
def _question_url_parts(base: str, script_prefix: str) -> tuple[str, str]:
    path = reverse("community:question", args=[_MARK])
    head, _, tail = path.partition(str(_MARK))
    return f"{base}{head}", tail


def question_url(question: Question | int) -> str:
    pk = question if isinstance(question, int) else question.pk
    head, tail = _question_url_parts(settings.BASE_URL, get_script_prefix())
    return f"{head}{int(pk)}{tail}"


def answer_url(answer: Answer) -> str:
    return f"{question_url(answer.question_id)}#a{answer.pk}"


def _thread_sig(question_id: int) -> str:
    key = f"herodesk.community.thread:{settings.SECRET_KEY}".encode()
    return hmac.new(key, str(question_id).encode(), hashlib.sha256).hexdigest()[:20]


def thread_id(question_id: int) -> str:
    return f"<community.q{question_id}.{_thread_sig(question_id)}@{mail_domain()}>"


def answer_message_id(answer: Answer) -> str:
    q = answer.question_id
    return f"<community.q{q}.a{answer.pk}.{_thread_sig(q)}@{mail_domain()}>"


def question_for_references(*headers: str) -> int | None:
    """The question an inbound reply answers, from In-Reply-To/References (signature checked)."""
    for header in headers:
        for match in THREAD_RE.finditer(header or ""):
            pk = int(match.group(1))
            if hmac.compare_digest(match.group(2), _thread_sig(pk)):
                return pk
    return None


def unsubscribe_token(question_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(question_id)).rsplit(":", 1)[1]


def unsubscribe_ok(question_id: int, token: str) -> bool:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(f"{question_id}:{token}")
    except signing.BadSignature:
        return False
    return value == str(question_id)


def unsubscribe_url(question_id: int) -> str:
    path = reverse("community:unsubscribe", args=[question_id, unsubscribe_token(question_id)])
    return absolute(path)


def _auto_headers() -> dict[str, str]:
    return {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


def _enqueue(key: str, kind: str, to: str, subject: str, text: str, headers: dict[str, str],
             reply_to: str | None = None) -> Any:  # fmt: skip
    payload = {
        "to": [to],
        "from": settings.DEFAULT_FROM_EMAIL,
        "reply_to": reply_to,
        "subject": subject,
        "text": text,
        "headers": headers,
        "domain": mail_domain(),
    }
    return outbox.enqueue(
        key=key, transport=Transport.EMAIL, kind=kind, recipient=to, payload=payload
    )


def _site() -> str:
    return sender()[0]


def send_verification(account: Account, again: bool = False) -> Any:
    token = tokens.verify.make_token(account)
    link = absolute(reverse("community:verify", args=[tokens.uid(account.pk), token]))
    text = render_to_string(
        "community/email/verify.txt", {"account": account, "link": link, "site": _site()}
    )
    suffix = f":{get_random_string(8)}" if again else ""
    return _enqueue(
        f"community_verify:{account.pk}{suffix}",
        "community_verify",
        account.email,
        f"Confirm your email for {_site()} community",
        text,
        _auto_headers(),
    )


def send_reset(account: Account) -> Any:
    token = tokens.reset.make_token(account)
    link = absolute(reverse("community:reset_confirm", args=[tokens.uid(account.pk), token]))
    text = render_to_string(
        "community/email/reset.txt", {"account": account, "link": link, "site": _site()}
    )
    return _enqueue(
        f"community_reset:{account.pk}:{get_random_string(12)}",
        "community_reset",
        account.email,
        f"Reset your {_site()} community password",
        text,
        _auto_headers(),
    )


def asker_address(question: Question) -> tuple[str, str]:
    """(email, first name) of whoever asked; ("", "") when there is none."""
    if question.account_id is not None and question.account is not None:
        acc = question.account
        return (acc.email if acc.is_active else ""), acc.name.split()[0]
    if question.user_id is not None and question.user is not None:
        return str(question.user.email or ""), str(question.user.first_name or "")
    return "", ""


def send_answer_notice(question: Question, answer: Answer) -> Any:
    """Email the asker about a new public answer (not their own; not when unsubscribed)."""
    if not question.notify_asker:
        return None
    own = (answer.account_id is not None and answer.account_id == question.account_id) or (
        answer.user_id is not None and answer.user_id == question.user_id
    )
    to, first_name = asker_address(question)
    if own or not to:
        return None
    context = {
        "first_name": first_name,
        "question": question,
        "answer": answer,
        "who": f"{answer.author_name} (Team)" if answer.by_team else answer.author_name,
        "link": answer_url(answer),
        "unsubscribe": unsubscribe_url(question.pk),
        "site": _site(),
    }
    root = thread_id(question.pk)
    headers = {
        "Message-ID": answer_message_id(answer),
        "In-Reply-To": root,
        "References": root,
        "List-Unsubscribe": f"<{context['unsubscribe']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-HeroDesk-Community-Question": str(question.pk),
        **_auto_headers(),
    }
    return _enqueue(
        f"community_answer:{answer.pk}",
        "community_answer",
        to,
        f"Re: [{_site()} community] {question.title}",
        render_to_string("community/email/answer.txt", context),
        headers,
        reply_to=settings.HERODESK_SUPPORT_ADDRESS or None,
    )
