from django.contrib import admin

from herodesk.tickets.models import Message, Ticket


class MessageInline(admin.StackedInline):
    model = Message
    extra = 0
    readonly_fields = ("created_at", "kind", "author", "requester", "external_id")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("id", "subject", "team", "tier", "status", "channel", "assignee", "created_at")
    list_filter = ("status", "tier", "channel", "team")
    search_fields = ("subject", "external_ref")
    list_select_related = ("team", "assignee")
    raw_id_fields = ("requester", "assignee", "follow_up_of", "merged_into")
    inlines = [MessageInline]
