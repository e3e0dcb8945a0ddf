"""Raw deliveries from every channel, stored before we answer the sender."""

from __future__ import annotations

from django.db import models


class DeliveryStatus(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Ignored"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One inbound delivery (webhook call, email, bug report), kept verbatim.

    `key` is the sender's idempotency key (GitHub hook id + delivery id, Slack
    team + event id, …): a retry with the same key creates nothing new.
    """

    channel = models.CharField(max_length=16)
    key = models.CharField(max_length=255)
    event_type = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body = models.BinaryField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.ACCEPTED
    )
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="deliveries",
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="delivery_unique_key")
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="delivery_status")]

    def __str__(self) -> str:
        return f"{self.channel} {self.event_type} {self.key} ({self.status})"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Content-addressed: the same file stored twice (a retry, a replay) is one file."""
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Attachment(models.Model):
    """A file that arrived with a message (email attachments, inline images)."""

    message = models.ForeignKey(
        "tickets.Message",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=400)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=127)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    # Content-ID of an inline part (referenced as cid:… from the HTML body).
    content_id = models.CharField(max_length=255, blank=True)
    inline = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["message_id", "id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.size} bytes)"
