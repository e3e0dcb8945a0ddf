"""Tickets and their messages. Writes go through tickets/actions.py only."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from herodesk.domain.tiers import TIER_LABELS, Tier
from herodesk.lib import channels

# Sort sentinel for tickets with no response clock running: after every due time.
NO_DUE = datetime(9999, 1, 1, tzinfo=UTC)


class Channel:
    """Names of the built-in channels, for code that means one of them.

    What a channel is (label, icon, tier, routing) is in the channel registry,
    `herodesk.lib.channels`; the field's choices come from there too.
    """

    EMAIL = "email"
    BUG_REPORT = "bug_report"
    SLACK = "slack"
    CS_ESCALATION = "cs_escalation"
    SENTRY = "sentry"
    GITHUB = "github"
    COMMUNITY = "community"
    ZENDESK = "zendesk"
    API = "api"
    WEB = "web"


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"


ACTIVE_STATUSES = (Status.NEW, Status.OPEN)
UNRESOLVED_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING)


class SlaKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", "First response"
    NEXT_REPLY = "next_reply", "Next reply"


class Ticket(models.Model):
    team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    channel = models.CharField(max_length=16, choices=channels.choices, default=Channel.API)
    # The sender's id for the thing this ticket mirrors (Sentry issue, GitHub issue, …).
    external_ref = models.CharField(max_length=255, blank=True)
    external_url = models.URLField(max_length=500, blank=True)
    tier = models.PositiveSmallIntegerField(
        choices=[(t.value, f"T{t.value} {TIER_LABELS[t]}") for t in Tier], default=Tier.NORMAL
    )
    tier_overridden = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.NEW)
    # Denormalized "status in (new, open)": the queue index leads with it.
    is_active = models.BooleanField(default=True)
    subject = models.CharField(max_length=300)
    requester = models.ForeignKey(
        "customers.Requester",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    first_response_grade = models.CharField(max_length=10, blank=True)
    # Reports (SPEC §10): stored when they happen, in the team's working minutes
    # (herodesk.domain.reports): first response with pauses excluded, and
    # created → (latest) solve.
    first_response_minutes = models.FloatField(null=True, blank=True)
    first_response_calendar_minutes = models.FloatField(null=True, blank=True)
    resolution_minutes = models.FloatField(null=True, blank=True)
    # Each figure's value bucket (domain.reports.bucket), for nearest ranks by
    # index counts; the resolution's only while the ticket is solved.
    first_response_bucket = models.PositiveSmallIntegerField(null=True, blank=True)
    first_response_calendar_bucket = models.PositiveSmallIntegerField(null=True, blank=True)
    resolution_bucket = models.PositiveSmallIntegerField(null=True, blank=True)
    # Next replies (answered clocks after the first response): how many, and
    # their working and calendar minutes summed.
    next_replies = models.PositiveIntegerField(default=0)
    next_reply_minutes = models.FloatField(default=0.0)
    next_reply_calendar_minutes = models.FloatField(default=0.0)
    solved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_requester_message_at = models.DateTimeField(null=True, blank=True)
    # The response clock now running (first response or next reply), if any.
    sla_kind = models.CharField(max_length=16, choices=SlaKind.choices, blank=True)
    sla_started_at = models.DateTimeField(null=True, blank=True)
    sla_paused_at = models.DateTimeField(null=True, blank=True)
    sla_paused_seconds = models.PositiveIntegerField(default=0)
    great_by = models.DateTimeField(null=True, blank=True)
    due_by = models.DateTimeField(null=True, blank=True)
    late_after = models.DateTimeField(null=True, blank=True)
    sort_due = models.DateTimeField(default=NO_DUE)
    breached = models.BooleanField(default=False)
    # "Looking into it" promised to get back: who is reminded, and when (cleared
    # by the next public reply).
    follow_up_at = models.DateTimeField(null=True, blank=True, db_index=True)
    follow_up_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    # Channel context: bug-report links, Slack thread, Sentry project, …
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["team", "is_active", "tier", "sort_due", "created_at", "id"],
                name="ticket_queue",
            ),
            # Someone's tickets of one status in queue order (the all-teams "Mine"
            # walks it once per unresolved status; queries._mine), and their count.
            models.Index(
                fields=["assignee", "status", "tier", "sort_due", "created_at", "id"],
                name="ticket_mine",
            ),
            models.Index(fields=["team", "status", "created_at"], name="ticket_team_status"),
            # Covers the queue tab counts (team, status, assignee, due) without row
            # reads, and walks a team's "Mine" of one status in queue order.
            models.Index(
                fields=["team", "status", "assignee", "tier", "sort_due", "created_at", "id"],
                name="ticket_counts",
            ),
            models.Index(fields=["status", "solved_at"], name="ticket_solved"),
            models.Index(fields=["created_at", "id"], name="ticket_created"),
            # Reports: a team's arrivals in a range with every column a report
            # aggregates (index-only scans) and its resolutions up to an instant
            # (SQLite has more: SQLITE_REPORT_INDEXES).
            # Each ends with `merged_into` (always NULL there): SQLite 3.40
            # reads a partial index alone only if it holds every column the
            # statement names, its condition's included (else a table row each).
            models.Index(
                fields=[
                    "team",
                    "created_at",
                    "first_response_minutes",
                    "first_response_calendar_minutes",
                    "first_response_grade",
                    "breached",
                    "late_after",
                    "sla_paused_at",
                    "solved_at",
                    "closed_at",
                    "resolution_minutes",
                    "next_replies",
                    "next_reply_minutes",
                    "next_reply_calendar_minutes",
                    "first_response_bucket",
                    "first_response_calendar_bucket",
                    "resolution_bucket",
                    "channel",
                    "tier",
                    "merged_into",
                ],
                name="ticket_report",
                condition=Q(merged_into__isnull=True),
            ),
            # A team's resolutions up to an instant, and the items still open
            # at one (unresolved, or resolved after it) per channel and tier:
            # the plain columns let both databases read the index alone.
            models.Index(
                F("team"),
                Coalesce("solved_at", "closed_at"),
                F("created_at"),
                F("solved_at"),
                F("closed_at"),
                F("channel"),
                F("tier"),
                F("merged_into"),
                name="ticket_report_resolved",
                condition=Q(merged_into__isnull=True),
            ),
            # /metrics: open and past-due items per team and tier, the
            # first-response histogram (value buckets) and arrivals per channel,
            # each counted in its index's order.
            models.Index(
                fields=["team", "tier", "is_active", "sort_due", "sla_paused_at"],
                name="ticket_unresolved",
                condition=Q(status__in=["new", "open", "pending"]),
            ),
            models.Index(
                fields=["team", "tier", "first_response_bucket", "first_response_minutes"],
                name="ticket_frt_histogram",
                condition=Q(merged_into__isnull=True, first_response_bucket__isnull=False),
            ),
            models.Index(
                fields=["team", "channel"],
                name="ticket_team_channel",
                condition=Q(merged_into__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="ticket_external_ref_unique",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def tier_enum(self) -> Tier:
        return Tier(self.tier)

    @property
    def tier_name(self) -> str:
        return Tier(self.tier).slug

    @property
    def tier_label(self) -> str:
        return TIER_LABELS[Tier(self.tier)]


class Reopening(models.Model):
    """A solved ticket opened again: it was not open from `resolved_at` (that
    solve) to `reopened_at`. The ticket itself keeps only its latest solve, so
    the backlog of a past moment reads these (reports)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="reopenings")
    resolved_at = models.DateTimeField()
    reopened_at = models.DateTimeField()

    class Meta:
        ordering = ["ticket", "resolved_at", "id"]

    def __str__(self) -> str:
        return f"#{self.ticket_id} solved {self.resolved_at:%Y-%m-%d %H:%M}, reopened after"


class MessageKind(models.TextChoices):
    REQUESTER = "requester", "Requester message"
    PUBLIC = "public", "Public reply"
    NOTE = "note", "Internal note"


class Message(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requester = models.ForeignKey(
        "customers.Requester", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What we display (quotes and signatures stripped, HTML sanitized) …
    body = models.TextField()
    body_html = models.TextField(blank=True)
    # … and what arrived, untouched.
    original = models.TextField(blank=True)
    created_at = models.DateTimeField()
    # The channel's id of this message (email Message-ID, Slack ts, GitHub comment id).
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_ticket")]

    def __str__(self) -> str:
        return f"{self.kind} on #{self.ticket_id}"

    @property
    def is_public(self) -> bool:
        return self.kind != MessageKind.NOTE


class MacroKind(models.TextChoices):
    PUBLIC = "public", "Public reply"
    NOTE = "note", "Internal note"


class Macro(models.Model):
    """A canned reply. `team` None: offered on every team's tickets.

    `body` may use placeholders such as {{ requester.first_name }}; they are
    filled by plain substitution (herodesk.tickets.macros), never by a
    template engine. `set_status` is applied when the reply is sent
    ("looking into it" → pending).
    """

    team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="macros"
    )
    name = models.CharField(max_length=100)
    body = models.TextField()
    kind = models.CharField(max_length=8, choices=MacroKind.choices, default=MacroKind.PUBLIC)
    set_status = models.CharField(
        max_length=8,
        blank=True,
        choices=[("", "Leave as is"), ("pending", "Pending"), ("solved", "Solved")],
    )
    position = models.PositiveSmallIntegerField(default=100)
    # Replying with it promises to get back: remind the sender after
    # HERODESK_FOLLOW_UP_WORKING_HOURS of the team's working time, unless a
    # public reply comes first.
    follow_up = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        # Moved here from the web app (migration tickets 0003); the table keeps its name.
        db_table = "web_macro"
        ordering = ["position", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="macro_team_name_unique"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(team__isnull=True),
                name="macro_global_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name
