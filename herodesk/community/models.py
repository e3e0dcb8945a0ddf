"""Community questions, their answers, and the community accounts that write them.

Community accounts are NOT Django users: they live in their own table with
their own hashed passwords and tokens, so nothing a community member holds can
open the desk, the staff API or the admin. Staff answer on the site as
themselves (a `user`), shown as "Team".
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    MODERATOR = "moderator", "Moderator"


class State(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    LOCKED = "locked", "Locked"
    HIDDEN = "hidden", "Hidden"


# Why a post waits: its author has not verified their email yet (released by the
# verification link), or a new account's first post carries links (a moderator decides).
HELD_UNVERIFIED = "unverified"
HELD_LINKS = "links"
HELD_REASONS = {
    HELD_UNVERIFIED: "waiting for the author to confirm their email address",
    HELD_LINKS: "a new account's first post with links waits for a moderator",
}


class Topic(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # Page paths that belong to this topic, as globs ("/docs/data-pipelines/*").
    paths = models.JSONField(default=list, blank=True)
    # The team channel told about new questions (besides the community channel).
    slack_channel = models.CharField(max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """A community member: email + password, separate from staff users."""

    email = models.EmailField(unique=True)  # stored lower-case
    name = models.CharField(max_length=120)
    password = models.CharField(max_length=128)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(default=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    # Named like Django's field so its token generator invalidates reset links on login.
    last_login = models.DateTimeField(null=True, blank=True)
    # Posts a moderator let through or that went public on their own; a new
    # account's first post with links waits for a moderator.
    approved_posts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @classmethod
    def get_email_field_name(cls) -> str:
        return "email"

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        """Whether `raw` is the password (actions.account_authenticate also upgrades old hashes)."""
        return check_password(raw, self.password)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_moderator(self) -> bool:
        return self.is_active and self.role == Role.MODERATOR


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class AccountToken(models.Model):
    """A community API token (`hc_…`). Only its SHA-256 is stored."""

    PREFIX = "hc_"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.account.email})"

    @staticmethod
    def new_raw() -> str:
        return AccountToken.PREFIX + secrets.token_urlsafe(32)


class Question(models.Model):
    page = models.CharField(max_length=300, help_text="the docs path, e.g. /docs/feature-flags")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown, as written")
    body_html = models.TextField(help_text="rendered and sanitized")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    # Why it waits before going public ("" = it does not): see HELD_REASONS.
    held_reason = models.CharField(max_length=12, blank=True)
    # Denormalized "not held and not hidden": the page index leads with it.
    is_public = models.BooleanField(default=True)
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=120)
    accepted_answer = models.ForeignKey(
        "community.Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_count = models.PositiveIntegerField(default=0, help_text="public answers")
    notify_asker = models.BooleanField(default=True, help_text="email the asker on each reply")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["page", "is_public", "last_activity_at", "id"], name="cq_page"),
            models.Index(fields=["topic", "is_public", "last_activity_at", "id"], name="cq_topic"),
            models.Index(fields=["is_public", "last_activity_at", "id"], name="cq_recent"),
            models.Index(fields=["held_reason", "created_at"], name="cq_held"),
        ]

    def __str__(self) -> str:
        return f"Q{self.pk} {self.title}"

    @property
    def by_team(self) -> bool:
        return self.user_id is not None

    @property
    def held_label(self) -> str:
        return HELD_REASONS.get(self.held_reason, "")

    def is_asker(self, author: Any) -> bool:
        account = getattr(author, "account", None)
        user = getattr(author, "user", None)
        if account is not None and self.account_id == account.pk:
            return True
        return user is not None and self.user_id == user.pk


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    body = models.TextField()
    body_html = models.TextField()
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=120)
    held_reason = models.CharField(max_length=12, blank=True)
    hidden = models.BooleanField(default=False)
    # Arrived as a reply to the asker's notification email.
    by_email = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["question", "created_at", "id"], name="ca_question"),
            models.Index(fields=["held_reason", "created_at"], name="ca_held"),
        ]

    def __str__(self) -> str:
        return f"A{self.pk} on Q{self.question_id}"

    @property
    def by_team(self) -> bool:
        """Written by a staff member: shown as "Team"."""
        return self.user_id is not None

    @property
    def is_public(self) -> bool:
        return not (self.held_reason or self.hidden)

    @property
    def held_label(self) -> str:
        return HELD_REASONS.get(self.held_reason, "")
