from django.contrib import admin

from herodesk.teams.models import ApiToken, Membership, Person, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "time_zone", "holiday_country", "slack_channel")
    search_fields = ("name", "slug")
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "time_zone", "holiday_country")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at")
    readonly_fields = ("digest", "prefix", "created_at", "last_used_at")
