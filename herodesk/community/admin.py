"""Operators manage topics and community accounts here (staff only, like all of /admin/).

Moderation of posts happens on the site (/community/), where every action is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from herodesk.community.models import Account, Question, Role, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "slack_channel", "position")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "role", "is_active", "email_verified_at", "approved_posts")
    list_filter = ("role", "is_active")
    search_fields = ("email", "name")
    fields = ("email", "name", "role", "is_active", "email_verified_at", "created_at",
              "last_login", "approved_posts")  # fmt: skip
    readonly_fields = ("email", "role", "email_verified_at", "created_at", "last_login")
    actions = ("make_moderator", "make_member")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people sign up themselves (their password never passes through here)

    @admin.action(description="Make moderator (audited)")
    def make_moderator(self, request: HttpRequest, queryset: Any) -> None:
        from herodesk.community import actions  # lazy: loaded on use, not by django.setup()

        for account in queryset:
            actions.account_set_role(account, Role.MODERATOR, actor=request.user)

    @admin.action(description="Make ordinary member (audited)")
    def make_member(self, request: HttpRequest, queryset: Any) -> None:
        from herodesk.community import actions  # lazy: loaded on use, not by django.setup()

        for account in queryset:
            actions.account_set_role(account, Role.MEMBER, actor=request.user)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("title", "page", "topic", "state", "held_reason", "answer_count", "created_at")
    list_filter = ("state", "topic")
    search_fields = ("title", "page")
    readonly_fields = [f.name for f in Question._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # changes go through the site's moderation (audited)
