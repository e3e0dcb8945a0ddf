"""Teams, the people on them, and API tokens."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models

from herodesk.domain.business_hours import Calendar

DEFAULT_HOURS: dict[str, list[list[str]]] = {
    day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
}


def default_hours() -> dict[str, list[list[str]]]:
    return {day: [list(w) for w in windows] for day, windows in DEFAULT_HOURS.items()}


_CALENDARS: dict[tuple[Any, ...], Calendar] = {}


def calendar_for(time_zone: str, hours: dict[str, Any], country: str, subdiv: str) -> Calendar:
    """A cached domain Calendar for a support-hours spec (they are immutable)."""
    key = (
        time_zone,
        tuple(sorted((d, tuple(tuple(w) for w in ws)) for d, ws in hours.items())),
        country,
        subdiv,
    )
    cal = _CALENDARS.get(key)
    if cal is None:
        cal = Calendar.from_spec(time_zone, hours, country or None, subdiv or None)
        _CALENDARS[key] = cal
    return cal


class Team(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    # Other names the team goes by ("Secondary – Pipeline", "Infra Hero").
    aliases = models.JSONField(default=list, blank=True)
    time_zone = models.CharField(max_length=64, default="Europe/London")
    hours = models.JSONField(default=default_hours)
    holiday_country = models.CharField(max_length=8, blank=True, default="GB")
    holiday_subdiv = models.CharField(max_length=16, blank=True, default="")
    # Per-tier SLA targets in minutes, e.g. {"2": {"great": 15, "okay": 60, "late": 480}}.
    sla_targets = models.JSONField(default=dict, blank=True)
    slack_channel = models.CharField(max_length=80, blank=True)
    email = models.EmailField(blank=True)
    auto_close_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Archived teams keep their tickets and history; they leave menus and routing.
    archived_at = models.DateTimeField(null=True, blank=True)
    members = models.ManyToManyField(
        "teams.Person", through="teams.Membership", related_name="teams"
    )

    # Not stored: how many running clocks the last settings change moved
    # (set by teams.actions; shown by the settings page and the API).
    clocks_recomputed: int = 0

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def calendar(self) -> Calendar:
        return calendar_for(self.time_zone, self.hours, self.holiday_country, self.holiday_subdiv)


class Person(models.Model):
    """A staff member: an engineer who takes hero shifts, or Customer Success."""

    ENGINEER = "engineer"
    CUSTOMER_SUCCESS = "cs"
    KIND_CHOICES = [(ENGINEER, "Engineer"), (CUSTOMER_SUCCESS, "Customer Success")]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )
    kind = models.CharField(max_length=16, choices=KIND_CHOICES, default=ENGINEER)
    time_zone = models.CharField(max_length=64, default="Europe/London")
    hours = models.JSONField(default=default_hours)
    holiday_country = models.CharField(max_length=8, blank=True, default="")
    holiday_subdiv = models.CharField(max_length=16, blank=True, default="")
    slack_user_id = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["user__username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def calendar(self) -> Calendar:
        return calendar_for(self.time_zone, self.hours, self.holiday_country, self.holiday_subdiv)


class Membership(models.Model):
    LEAD = "lead"
    MEMBER = "member"
    ROLE_CHOICES = [(LEAD, "Lead"), (MEMBER, "Member")]

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=8, choices=ROLE_CHOICES, default=MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.person} in {self.team} ({self.role})"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the raw value is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # No expiry when null. A revoked token stays for the audit trail and never works again.
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def works(self, now: Any) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Invitation(models.Model):
    """A set-password link sent to a person: single use, expires; only the
    token's SHA-256 is stored (herodesk.teams.actions.invitations)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    # The team they were invited into: where they land after setting a password.
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # A newer invitation for the same person voids this one.
    voided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"invitation of {self.person} ({self.created_at:%Y-%m-%d})"

    def state(self, now: Any) -> str:
        if self.used_at:
            return "used"
        if self.voided_at:
            return "replaced"
        return "expired" if self.expires_at <= now else "open"
