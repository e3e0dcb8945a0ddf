from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CommunityConfig(AppConfig):
    name = "herodesk.community"
    label = "community"
    verbose_name = "Community questions"

    def ready(self) -> None:
        # ready: connect the receivers (models are loaded only once the app
        # registry is populated). Their modules (the intake pipeline, mail, the
        # outbox) are imported when a signal first reaches them
        # (herodesk/lib/lazysignals.py).
        from herodesk.community import signals
        from herodesk.community.models import Question, Topic
        from herodesk.intake.signals import mail_received
        from herodesk.lib.lazysignals import connect_lazily

        desk, cache = "herodesk.community.desk", "herodesk.community.receivers"
        for signal, function, uid, sender in (
            (signals.question_published, f"{desk}.on_question_published",
             "community.desk.question", None),
            (signals.answer_published, f"{desk}.on_answer_published",
             "community.desk.answer", None),
            (signals.question_state_changed, f"{desk}.on_state_changed",
             "community.desk.state", None),
            (signals.question_edited, f"{desk}.on_question_edited", "community.desk.edited", None),
            (mail_received, "herodesk.community.email_replies.on_mail",
             "community.email_replies", None),
            (signals.answer_published, f"{cache}.on_answer_published",
             "community.answer_notice", None),
            (post_save, f"{cache}.on_question_written",
             "community.list_cache.question_saved", Question),
            (post_delete, f"{cache}.on_question_written",
             "community.list_cache.question_deleted", Question),
            (post_save, f"{cache}.on_topic_written", "community.list_cache.topic_saved", Topic),
            (post_delete, f"{cache}.on_topic_written",
             "community.list_cache.topic_deleted", Topic),
        ):  # fmt: skip
            connect_lazily(signal, function, dispatch_uid=uid, sender=sender)
