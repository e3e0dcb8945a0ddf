"""Operators' view of intake: stored deliveries (with replay), routing rules,
the Slack channels and GitHub repositories HeroDesk listens to."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from herodesk.intake import base
from herodesk.intake.actions import rules
from herodesk.intake.models import (
    Delivery,
    DeliveryStatus,
    GitHubRepository,
    RoutingRule,
    SlackChannel,
)
from herodesk.lib.errors import Invalid

BODY_PREVIEW = 20_000


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "received_at",
        "channel",
        "event_type",
        "status",
        "attempts",
        "ticket",
        "short_error",
    )
    list_filter = ("status", "channel")
    search_fields = ("key", "event_type", "error")
    date_hierarchy = "received_at"
    list_select_related = ("ticket",)
    readonly_fields = (
        "channel",
        "key",
        "event_type",
        "status",
        "error",
        "received_at",
        "processed_at",
        "attempts",
        "ticket",
        "headers",
        "body_text",
    )
    exclude = ("body",)
    actions = ["replay"]

    @admin.display(description="error")
    def short_error(self, obj: Delivery) -> str:
        return obj.error[:80]

    @admin.display(description="body")
    def body_text(self, obj: Delivery) -> str:
        raw = bytes(obj.body)
        text = raw[:BODY_PREVIEW].decode("utf-8", errors="replace")
        return text + (f"\n… ({len(raw)} bytes in all)" if len(raw) > BODY_PREVIEW else "")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Process the selected deliveries again (replay)")
    def replay(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        outcomes: dict[str, int] = {}
        for delivery in queryset.order_by("id"):
            status = base.process(delivery).status
            outcomes[status] = outcomes.get(status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(outcomes.items()))
        level = messages.WARNING if DeliveryStatus.FAILED in outcomes else messages.SUCCESS
        self.message_user(request, f"Replayed: {summary or 'nothing'}", level)


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = (
            "position",
            "name",
            "enabled",
            "team",
            "channel",
            "conditions",
            "keywords",
            "organization",
        )
        help_texts = {
            "conditions": 'e.g. [{"field": "repository", "op": "equals", "value": "acme/app"}]'
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            rules._clean(dict(data))
        except Invalid as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """Edits go through herodesk.intake.actions, so they are validated and audited."""

    form = RoutingRuleForm
    list_display = (
        "position",
        "name",
        "team",
        "channel",
        "conditions",
        "keywords",
        "organization",
        "enabled",
    )
    list_display_links = ("name",)
    list_filter = ("enabled", "team", "channel")
    list_select_related = ("team", "organization")
    ordering = ("position", "id")

    def save_model(self, request: HttpRequest, obj: RoutingRule, form: Any, change: bool) -> None:
        values = {k: v for k, v in form.cleaned_data.items() if k != "team"}
        saved = rules.routing_rule_save(
            team=form.cleaned_data["team"],
            actor=request.user,
            rule=obj if change else None,
            **values,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: RoutingRule) -> None:
        rules.routing_rule_delete(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoutingRule]) -> None:
        for rule in queryset:
            rules.routing_rule_delete(rule, actor=request.user)


@admin.register(SlackChannel)
class SlackChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "channel_id", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "channel_id")


@admin.register(GitHubRepository)
class GitHubRepositoryAdmin(admin.ModelAdmin):
    list_display = ("full_name", "enabled")
    list_filter = ("enabled",)
    search_fields = ("full_name",)
