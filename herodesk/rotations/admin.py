"""Operators' view of rotations. Changes go through actions (audited): the
admin shows rows, deletes overrides/time off via the actions, and rotates
calendar-feed tokens; rotations themselves are set with the API or the UI."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from herodesk.rotations.models import (
    FeedToken,
    Override,
    RotationMember,
    RotationVersion,
    SwapRequest,
    TimeOff,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MemberInline(admin.TabularInline):
    model = RotationMember
    extra = 0
    can_delete = False
    readonly_fields = ("position", "person")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RotationVersion)
class RotationVersionAdmin(ReadOnly):
    list_display = (
        "team",
        "start",
        "turn_days",
        "handoff_weekday",
        "handoff_time",
        "time_zone",
        "effective_from",
        "effective_until",
    )
    list_filter = ("team",)
    inlines = [MemberInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the past is never rewritten


@admin.register(Override)
class OverrideAdmin(ReadOnly):
    list_display = ("team", "person", "start", "end", "reason", "swap", "created_by")
    list_filter = ("team",)
    date_hierarchy = "start"

    def delete_model(self, request: HttpRequest, obj: Override) -> None:
        from herodesk.rotations import actions  # lazy: loaded on use, not by django.setup()

        if Override.objects.filter(pk=obj.pk).exists():
            actions.override_delete(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Override]) -> None:
        for obj in queryset.select_related("team", "person__user"):
            self.delete_model(request, obj)


@admin.register(SwapRequest)
class SwapRequestAdmin(ReadOnly):
    list_display = (
        "id",
        "team",
        "requester",
        "counterpart",
        "status",
        "give_start",
        "take_start",
        "created_at",
    )
    list_filter = ("status", "team")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TimeOff)
class TimeOffAdmin(ReadOnly):
    list_display = ("person", "start", "end", "reason", "created_by")
    date_hierarchy = "start"

    def delete_model(self, request: HttpRequest, obj: TimeOff) -> None:
        from herodesk.rotations import actions  # lazy: loaded on use, not by django.setup()

        actions.time_off_delete(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TimeOff]) -> None:
        for obj in queryset.select_related("person__user"):
            self.delete_model(request, obj)


@admin.register(FeedToken)
class FeedTokenAdmin(ReadOnly):
    list_display = ("__str__", "created_at", "created_by")
    exclude = ("nonce",)
    actions = ["rotate"]

    @admin.action(description="Rotate the secret URL of the selected feeds")
    def rotate(self, request: HttpRequest, queryset: QuerySet[FeedToken]) -> None:
        from herodesk.rotations import actions  # lazy: loaded on use, not by django.setup()

        for row in queryset.select_related("team", "person__user"):
            token = actions.feed_token_rotate(team=row.team, person=row.person, actor=request.user)
            url = settings.BASE_URL + reverse("rotations:feed", args=[token.token])
            self.message_user(request, f"{row}: new URL {url}", messages.SUCCESS)

    def delete_model(self, request: HttpRequest, obj: FeedToken) -> None:
        from herodesk.rotations import actions  # lazy: loaded on use, not by django.setup()

        actions.feed_token_revoke(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[FeedToken]) -> None:
        for obj in queryset.select_related("team", "person__user"):
            self.delete_model(request, obj)
