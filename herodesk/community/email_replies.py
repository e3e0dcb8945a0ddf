"""Replies to the asker's notification emails: posted as the asker's answer, or
bounced with instructions.

The email intake asks its `mail_received` receivers before threading a mail
onto a ticket. A mail whose In-Reply-To/References carry a question's signed
thread id (mail.thread_id) is ours: from the asker's address it becomes their
answer on the page (quotes and signature stripped); from anyone else, or on a
locked or hidden question, the sender gets one email saying why and where to
answer instead. Machine mail never gets here (the intake drops it first).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.dispatch import receiver

from herodesk.community import mail
from herodesk.community.authors import Author
from herodesk.community.models import Question
from herodesk.intake import signals
from herodesk.lib.errors import ActionError
from herodesk.notify import outbox
from herodesk.notify.models import Transport


@receiver(signals.mail_received, dispatch_uid="community.email_replies")
def on_mail(sender: Any, mail: Any, body: str, delivery: Any, **kwargs: Any) -> str | None:
    question_id = mail_ids(mail)
    if question_id is None:
        return None
    question = Question.objects.select_related("account", "user").filter(pk=question_id).first()
    if question is None:
        return _bounce(mail, delivery, "the question it answers no longer exists.", None)
    asker_email, _name = _asker(question)
    if not asker_email or mail.from_email.lower() != asker_email.lower():
        return _bounce(
            mail,
            delivery,
            "only the person who asked can answer by email. Anyone with an account can "
            "answer on the page.",
            question,
        )
    author = Author(account=question.account) if question.account else Author(user=question.user)
    try:
        from herodesk.community import actions  # lazy: loaded on use, not at start-up

        answer = actions.answer_post(question, author, body=body, by_email=True)
    except ActionError as exc:
        return _bounce(mail, delivery, f"it could not be posted: {exc.message}.", question)
    return f"posted as answer {answer.pk} on question {question.pk}"


def mail_ids(parsed: Any) -> int | None:
    return mail.question_for_references(" ".join(parsed.thread_ids))


def _asker(question: Question) -> tuple[str, str]:
    return mail.asker_address(question)


def _bounce(parsed: Any, delivery: Any, why: str, question: Question | None) -> str:
    where = mail.question_url(question.pk) if question else f"{settings.BASE_URL}/community/"
    text = (
        "Hi,\n\n"
        f"we received your email “{parsed.subject}”, but did not post it: {why}\n\n"
        f"Answer on the page instead: {where}\n\n"
        "This is an automatic message; replies to it are not read."
    )
    headers = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
    if parsed.message_id:
        headers["In-Reply-To"] = parsed.message_id
        headers["References"] = parsed.message_id
    outbox.enqueue(
        key=f"community_bounce:{delivery.pk}",
        transport=Transport.EMAIL,
        kind="community_bounce",
        recipient=parsed.from_email,
        payload={
            "to": [parsed.from_email],
            "from": settings.DEFAULT_FROM_EMAIL,
            "subject": f"Not posted: {parsed.subject}"[:250],
            "text": text,
            "headers": headers,
        },
    )
    return f"bounced to {parsed.from_email} ({why})"
