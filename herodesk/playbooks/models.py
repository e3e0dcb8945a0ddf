"""Playbook runs on tickets, the steps done in them, and app reviews.

Only what happened is stored: a run, the record of each step that was done
(never edited), and the latest observation per step ("reply from X is not the
account owner"). Every other state is derived by `herodesk.domain.playbook`.
Writes go through `playbooks/actions/` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class RunState(models.TextChoices):
    ACTIVE = "active", "Active"
    FINISHED = "finished", "Finished"
    CANCELLED = "cancelled", "Cancelled"


class PlaybookRun(models.Model):
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="playbook_runs"
    )
    playbook = models.CharField(max_length=40, help_text="slug of a built-in playbook")
    inputs = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.ACTIVE)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.TextField(blank=True)
    # step key → {"text": …, "at": ISO 8601}: the latest thing seen about a step
    # that did not change its state (a reply from the wrong address, a failed review).
    observations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "playbook"],
                condition=Q(state="active"),
                name="playbook_one_active_run",
            )
        ]

    def __str__(self) -> str:
        return f"{self.playbook} on #{self.ticket_id} ({self.state})"


class PlaybookStep(models.Model):
    """A step that was done: by whom, when, with which note, choice and evidence."""

    run = models.ForeignKey(PlaybookRun, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField(max_length=60)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_by_label = models.CharField(max_length=200, help_text="username, email:…, or system")
    done_at = models.DateTimeField()
    choice = models.CharField(max_length=60, blank=True)
    note = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["done_at", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "key"], name="playbook_step_once")]

    def __str__(self) -> str:
        return f"{self.key} done by {self.done_by_label}"


class AppReview(models.Model):
    """The automatic checks on a plugin archive (and, for an update, its diff)."""

    ticket = models.ForeignKey(
        "tickets.Ticket",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="app_reviews",
    )
    run = models.ForeignKey(
        PlaybookRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    archive_name = models.CharField(max_length=255)
    archive_sha256 = models.CharField(max_length=64)
    archive_size = models.PositiveIntegerField()
    previous_name = models.CharField(max_length=255, blank=True)
    previous_sha256 = models.CharField(max_length=64, blank=True)
    passed = models.BooleanField()
    findings = models.JSONField(default=list)
    diff = models.JSONField(null=True, blank=True)
    files = models.PositiveIntegerField(default=0)
    sources = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"review {self.pk} of {self.archive_name} ({'passed' if self.passed else 'failed'})"
