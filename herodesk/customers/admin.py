from django.contrib import admin

from herodesk.customers.models import Organization, Requester


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "plan", "self_hosted", "region", "cs_owner")
    list_filter = ("plan", "self_hosted", "region")
    search_fields = ("name", "domain", "external_id")


@admin.register(Requester)
class RequesterAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "organization")
    search_fields = ("email", "name", "github_login", "slack_user_id")
    list_select_related = ("organization",)
