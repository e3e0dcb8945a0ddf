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
        "tickets.Ticket",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
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


class RoutingRule(models.Model):
    """Send matching items to a team. Rules are tried by position; first match wins.

    Every condition that is set must match (an unset one matches anything):
    `channel`, `organization`, `keywords` (any one in the subject or body), and
    the channel-specific `conditions`, a list of {"field", "op", "value"} whose
    fields are the routing fields the channel registry declares
    (`herodesk.lib.channels.RoutingField`: GitHub repository, Slack channel,
    Sentry project, …). No match: the item lands in the "unrouted" queue.
    """

    position = models.PositiveIntegerField(default=100)
    name = models.CharField(max_length=100, blank=True)
    enabled = models.BooleanField(default=True)
    channel = models.CharField(max_length=16, blank=True)
    conditions = models.JSONField(default=list, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    organization = models.ForeignKey(
        "customers.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="routing_rules")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name or f"rule {self.pk} → {self.team}"

    def condition(self, field: str) -> str:
        """The value of the rule's condition on `field` ('' when it has none)."""
        for cond in self.conditions or []:
            if cond.get("field") == field:
                return str(cond.get("value", ""))
        return ""

    # The routing fields of the built-in channels, as read-only attributes
    # (the API and the pages show them by name).
    @property
    def repository(self) -> str:
        return self.condition("repository")

    @property
    def slack_channel(self) -> str:
        return self.condition("slack_channel")

    @property
    def sentry_project(self) -> str:
        return self.condition("sentry_project")

    @property
    def page(self) -> str:
        return self.condition("page")

    @property
    def topic(self) -> str:
        return self.condition("topic")


class SlackChannelKind(models.TextChoices):
    SUPPORT = "support", "Support: messages become tickets"
    ESCALATION = "cs_escalation", "CS escalation: tagging a hero makes a T1 item"
    COMMUNITY = "community", "Community: questions get a redirect, not a ticket"


class SlackChannel(models.Model):
    """A Slack channel HeroDesk listens to, and what messages there mean."""

    channel_id = models.CharField(max_length=32, unique=True, help_text="e.g. C0123ABCD")
    name = models.CharField(max_length=80, blank=True, help_text="without the #")
    kind = models.CharField(max_length=16, choices=SlackChannelKind.choices)
    # Community channels: the reply posted in the thread (empty: the default text).
    redirect_text = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "channel_id"]

    def __str__(self) -> str:
        return f"#{self.name or self.channel_id} ({self.kind})"


class GitHubRepository(models.Model):
    """A repository whose outside contributors' issues and comments become T4 items."""

    full_name = models.CharField(max_length=200, unique=True, help_text="owner/name")
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "GitHub repositories"

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.full_name = self.full_name.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SignatureFailure(models.Model):
    """Webhook calls refused for a bad signature, counted per channel and minute
    (one row a minute at most, whatever a caller sends), for the integrations
    page's "signature failures in the last hour"."""

    channel = models.CharField(max_length=16)
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "minute"], name="signature_failure_minute")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.minute:%Y-%m-%d %H:%M}: {self.count}"
