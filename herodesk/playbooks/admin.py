"""Read-only admin pages: runs and reviews are changed through their actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from herodesk.playbooks.models import AppReview, PlaybookRun, PlaybookStep


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PlaybookRun)
class RunAdmin(ReadOnly):
    list_display = ("id", "playbook", "ticket", "state", "started_at", "started_by")
    list_filter = ("playbook", "state")


@admin.register(PlaybookStep)
class StepAdmin(ReadOnly):
    list_display = ("run", "key", "done_by_label", "done_at", "choice")


@admin.register(AppReview)
class ReviewAdmin(ReadOnly):
    list_display = ("id", "archive_name", "passed", "ticket", "created_at")
