"""Community signals → work that commits with the change (the asker's email),
and the embed's cached lists dropped when their questions or topics change."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from herodesk.community import mail, page_cache, signals
from herodesk.community.models import Answer, Question, Topic


@receiver(signals.answer_published, dispatch_uid="community.answer_notice")
def on_answer_published(sender: Any, answer: Answer, question: Question, **kwargs: Any) -> None:
    mail.send_answer_notice(question, answer)


@receiver(post_save, sender=Question, dispatch_uid="community.list_cache.question_saved")
@receiver(post_delete, sender=Question, dispatch_uid="community.list_cache.question_deleted")
def on_question_written(sender: Any, instance: Question, **kwargs: Any) -> None:
    page_cache.page_changed(instance.page)


@receiver(post_save, sender=Topic, dispatch_uid="community.list_cache.topic_saved")
@receiver(post_delete, sender=Topic, dispatch_uid="community.list_cache.topic_deleted")
def on_topic_written(sender: Any, **kwargs: Any) -> None:
    page_cache.topics_changed()
