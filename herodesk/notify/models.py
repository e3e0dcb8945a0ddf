"""The outbox, recurring-job bookkeeping, SLA breaches and hand-off reports.

Everything the desk sends is first a `Delivery` row written in the same
transaction as the change that caused it; a job sends it. The row, not the
job, is the source of truth: a worker that dies mid-send leaves a row whose
lease runs out and another worker sends it; its unique `key` makes enqueueing
the same notification twice a no-op.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Transport(models.TextChoices):
    EMAIL = "email", "Email"
    SLACK = "slack", "Slack"
    GITHUB = "github", "GitHub comment"


class Delivery(models.Model):
    """One message to send: an email or one Slack post."""

    key = models.CharField(max_length=200, unique=True, help_text="idempotency key")
    transport = models.CharField(max_length=8, choices=Transport.choices)
    kind = models.CharField(max_length=32, help_text="ack, reply, ticket_created, …")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    recipient = models.CharField(max_length=300, help_text="addresses or Slack channel")
    payload = models.JSONField(help_text="what the transport sends, rendered")
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(help_text="not sent before this instant")
    attempts = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True, help_text="Slack ts, Message-ID, …")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["ticket", "kind", "status"], name="delivery_ticket"),
        ]

    def __str__(self) -> str:
        return f"{self.transport} {self.kind} → {self.recipient} ({self.status})"


class JobRun(models.Model):
    """One claimed slot of a recurring job: the unique row makes it run once."""

    name = models.CharField(max_length=64)
    slot = models.BigIntegerField(help_text="epoch seconds // interval")
    claimed_at = models.DateTimeField()
    worker_id = models.CharField(max_length=64, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="the job it enqueued")

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="jobrun_unique")]

    def __str__(self) -> str:
        return f"{self.name} #{self.slot}"


class WorkerBeat(models.Model):
    """A live `herodesk worker`; a stale beat means its RUNNING jobs are orphans."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} ({self.hostname}:{self.pid})"


class SlaBreach(models.Model):
    """A response clock that ran past its "too late" target without a reply."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="sla_breaches"
    )
    team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tier = models.PositiveSmallIntegerField()
    clock = models.CharField(max_length=16, help_text="first_response or next_reply")
    clock_started_at = models.DateTimeField()
    late_after = models.DateTimeField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-late_after"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "clock_started_at"], name="sla_breach_once")
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.clock} breached at {self.late_after:%Y-%m-%d %H:%M}"


class HandoffReport(models.Model):
    """The end-of-rotation report: what the outgoing hero hands to the incoming one."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="handoffs")
    instant = models.DateTimeField()
    outgoing = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    incoming = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outgoing_username = models.CharField(max_length=150, blank=True)
    incoming_username = models.CharField(max_length=150, blank=True)
    # [{"ticket", "subject", "tier", "status", "assignee", "moved", "note": {…} | None}, …]
    items = models.JSONField(default=list)
    moved = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-instant", "-id"]
        constraints = [models.UniqueConstraint(fields=["team", "instant"], name="handoff_once")]

    def __str__(self) -> str:
        who = f"{self.outgoing_username or 'nobody'} → {self.incoming_username or 'nobody'}"
        return f"{self.team} hand-off {self.instant:%Y-%m-%d %H:%M} ({who})"
