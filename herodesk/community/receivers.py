"""Community signals → work that commits with the change (the asker's email)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from herodesk.community import mail, signals
from herodesk.community.models import Answer, Question


@receiver(signals.answer_published, dispatch_uid="community.answer_notice")
def on_answer_published(sender: Any, answer: Answer, question: Question, **kwargs: Any) -> None:
    mail.send_answer_notice(question, answer)
