from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "herodesk.notify"
    label = "notify"
    verbose_name = "Jobs and notifications"

    def ready(self) -> None:
        # ready: signals live in modules that import models, loaded only once the
        # app registry is populated; ready() is the documented place for wiring.
        # The receivers' modules (outbox, e-mail, Slack, rotations) are imported
        # when a signal first reaches them (herodesk/lib/lazysignals.py).
        from herodesk.lib.lazysignals import connect_lazily
        from herodesk.rotations.signals import schedule_changed, swap_updated
        from herodesk.teams.signals import invitation_created
        from herodesk.tickets import signals

        receivers = "herodesk.notify.receivers"
        for signal, function, uid in (
            (invitation_created, "herodesk.notify.invitations.on_invitation_created",
             "notify.invitation_created"),
            (signals.ticket_created, f"{receivers}.on_ticket_created", "notify.ticket_created"),
            (signals.message_added, f"{receivers}.on_message_added", "notify.message_added"),
            (signals.assignee_changed, f"{receivers}.on_assignee_changed",
             "notify.assignee_changed"),
            (signals.mentioned, f"{receivers}.on_mentioned", "notify.mentioned"),
            (schedule_changed, "herodesk.notify.schedule_notices.on_schedule_changed",
             "notify.schedule_changed"),
            (swap_updated, "herodesk.notify.schedule_notices.on_swap_updated",
             "notify.swap_updated"),
        ):  # fmt: skip
            connect_lazily(signal, function, dispatch_uid=uid)
