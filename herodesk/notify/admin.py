"""Admin pages: the outbox (with a retry action), hand-offs, breaches, workers,
and a retry action on failed jobs (django-tasks-db's own page, extended)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from herodesk.lib.errors import ActionError
from herodesk.notify.models import Delivery, HandoffReport, JobRun, SlaBreach, WorkerBeat


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _retry(admin_: admin.ModelAdmin, request: HttpRequest, refs: list[str]) -> None:
    # lazy: the outbox (and the transports behind it) load with the first retry,
    # not at every start-up (the admin is imported by django.setup()).
    from herodesk.notify import ops

    done = 0
    for ref in refs:
        try:
            ops.retry(ref, actor=request.user)
            done += 1
        except ActionError as exc:
            admin_.message_user(request, exc.message, level=messages.WARNING)
    if done:
        admin_.message_user(request, f"{done} queued again.")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = (
        "id",
        "kind",
        "transport",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "transport", "kind")
    search_fields = ("key", "recipient", "last_error")
    raw_id_fields = ("ticket", "team")
    actions = ["retry_now"]

    @admin.display(description="last error")
    def short_error(self, obj: Delivery) -> str:
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @admin.action(description="Retry now (failed or waiting deliveries)")
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        _retry(self, request, [str(pk) for pk in queryset.values_list("pk", flat=True)])


@admin.register(HandoffReport)
class HandoffReportAdmin(ReadOnly):
    list_display = ("id", "team", "instant", "outgoing_username", "incoming_username", "moved")
    list_filter = ("team",)
    date_hierarchy = "instant"


@admin.register(SlaBreach)
class SlaBreachAdmin(ReadOnly):
    list_display = ("ticket", "team", "tier", "clock", "late_after", "recorded_at")
    list_filter = ("team", "tier", "clock")
    raw_id_fields = ("ticket",)


@admin.register(WorkerBeat)
class WorkerBeatAdmin(ReadOnly):
    list_display = ("worker_id", "hostname", "pid", "started_at", "last_seen")


@admin.register(JobRun)
class JobRunAdmin(ReadOnly):
    list_display = ("name", "slot", "claimed_at", "worker_id", "task_id")
    list_filter = ("name",)


class JobAdmin(DBTaskResultAdmin):
    actions = ["retry_failed"]

    @admin.action(description="Run failed jobs again")
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[DBTaskResult]) -> None:
        _retry(self, request, [str(pk) for pk in queryset.values_list("pk", flat=True)])


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, JobAdmin)
