"""Rotations, overrides, swap requests, time off and calendar-feed tokens.

A team's rotation is a list of *versions*: each is a complete rotation
(ordered members, start instant, turn length, handoff weekday + wall-clock
time, IANA zone) in force over [effective_from, effective_until). Changing the
rotation closes the current version at a future instant and opens a new one,
so the past is never rewritten. The schedule itself is computed by the pure
engine in herodesk.domain.schedule; nothing here stores shifts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class RotationVersion(models.Model):
    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="rotation_versions"
    )
    start = models.DateTimeField(help_text="when the first member's first turn starts")
    turn_days = models.PositiveSmallIntegerField(default=7)
    # 0 = Monday … 6 = Sunday; null: every `turn_days` days counted from `start`.
    handoff_weekday = models.PositiveSmallIntegerField(null=True, blank=True)
    handoff_time = models.TimeField(help_text="local wall-clock time of each handoff")
    time_zone = models.CharField(max_length=64)
    # Null effective_from: in force since `start` (a team's first rotation).
    effective_from = models.DateTimeField(null=True, blank=True)
    effective_until = models.DateTimeField(null=True, blank=True)
    # Weekly local windows the rotation is limited to (empty: always on), e.g.
    # [{"weekday": 0, "start": "09:00", "end": "17:00"}]; outside them: a gap.
    restrictions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["team", "effective_from", "id"]
        indexes = [models.Index(fields=["team", "effective_until"])]

    def __str__(self) -> str:
        return f"{self.team} rotation from {self.effective_from or self.start:%Y-%m-%d %H:%M}"

    def usernames(self) -> list[str]:
        """Members in rotation order (uses the prefetched `slots` when present)."""
        return [slot.person.user.username for slot in self.slots.all()]


class RotationMember(models.Model):
    """One place in a rotation version's order."""

    version = models.ForeignKey(RotationVersion, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField()
    # PROTECT: history must keep naming who was on; deactivate users instead.
    person = models.ForeignKey("teams.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="rotation_slot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.person}"


class SwapStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


class SwapRequest(models.Model):
    """A trade of shifts between two people of one team.

    `plan` holds the overrides that accepting creates, computed when the
    request is made: [{"person": username, "start": iso, "end": iso}, …].
    """

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="swaps")
    requester = models.ForeignKey("teams.Person", on_delete=models.CASCADE, related_name="+")
    counterpart = models.ForeignKey("teams.Person", on_delete=models.CASCADE, related_name="+")
    # The requester's shift they give away and the counterpart's they take.
    give_start = models.DateTimeField()
    give_end = models.DateTimeField()
    take_start = models.DateTimeField()
    take_end = models.DateTimeField()
    days = models.JSONField(default=list, blank=True, help_text="ISO dates; empty = whole shifts")
    plan = models.JSONField(default=list)
    message = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=SwapStatus.choices, default=SwapStatus.PENDING)
    direct = models.BooleanField(default=False, help_text="made directly by a lead")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "counterpart"])]

    def __str__(self) -> str:
        return f"swap #{self.pk} {self.requester} ⇄ {self.counterpart} ({self.status})"


class Override(models.Model):
    """`person` is on call over [start, end) whoever the rotation names."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="overrides")
    person = models.ForeignKey("teams.Person", on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    swap = models.ForeignKey(
        SwapRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="overrides"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["team", "start", "id"]
        indexes = [models.Index(fields=["team", "end", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="override_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.person} over {self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M}"


class TimeOff(models.Model):
    """A person is unavailable over [start, end) (holiday, day off)."""

    person = models.ForeignKey("teams.Person", on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["end", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="time_off_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.person} off {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"


class FeedToken(models.Model):
    """The secret of an iCalendar feed URL, for one team or one person.

    The URL token is `<id>.<mac>` with mac = HMAC-SHA256(SECRET_KEY, id and a
    random nonce): nothing secret is stored, the URL can be shown again to
    whoever may see it, and rotating (a new nonce) kills the old URL.
    """

    team = models.OneToOneField(
        "teams.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="feed_token"
    )
    person = models.OneToOneField(
        "teams.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="feed_token"
    )
    nonce = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(team__isnull=False, person__isnull=True)
                    | Q(team__isnull=True, person__isnull=False)
                ),
                name="feed_token_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"calendar feed of {self.team or self.person}"

    def mac(self) -> str:
        digest = hmac.new(
            settings.SECRET_KEY.encode(), f"feed:{self.pk}:{self.nonce}".encode(), hashlib.sha256
        ).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    @property
    def token(self) -> str:
        return f"{self.pk}.{self.mac()}"

    @classmethod
    def lookup(cls, token: str) -> FeedToken | None:
        """The row a URL token names, or None (constant-time MAC comparison)."""
        pk, _, mac = token.partition(".")
        if not pk.isdigit() or not mac or len(pk) > 18:
            return None
        row = cls.objects.select_related("team", "person__user").filter(pk=int(pk)).first()
        if row is None or not hmac.compare_digest(row.mac().encode(), mac.encode()):
            return None
        return row

    @staticmethod
    def new_nonce() -> str:
        return secrets.token_hex(16)
