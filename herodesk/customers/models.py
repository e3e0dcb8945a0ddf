"""Customers: organizations (plan → tier) and the requesters who write to us."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from herodesk.domain.tiers import PLAN_TIERS, Tier


class Organization(models.Model):
    PLAN_CHOICES = [
        ("free", "Free"),
        ("paid", "Paid"),
        ("teams", "Teams"),
        ("scale", "Scale"),
        ("enterprise", "Enterprise"),
    ]
    REGION_CHOICES = [("EU", "EU cloud"), ("US", "US cloud")]

    name = models.CharField(max_length=200)
    external_id = models.CharField(max_length=100, blank=True, db_index=True)
    domain = models.CharField(max_length=200, blank=True, db_index=True)
    plan = models.CharField(max_length=16, choices=PLAN_CHOICES, default="free")
    self_hosted = models.BooleanField(default=False)
    region = models.CharField(max_length=2, choices=REGION_CHOICES, default="US")
    cs_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cs_organizations",
    )
    admin_url = models.URLField(blank=True)
    billing_url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tier(self) -> Tier:
        return PLAN_TIERS.get(self.plan, Tier.LOW)


class Requester(models.Model):
    email = models.EmailField(unique=True, null=True, blank=True)
    name = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="requesters"
    )
    # Identities on other channels, so every channel finds the same person.
    username = models.CharField(max_length=200, blank=True, db_index=True)
    slack_user_id = models.CharField(max_length=32, blank=True, db_index=True)
    github_login = models.CharField(max_length=100, blank=True, db_index=True)
    # The user's id in the product, for admin link templates ({user_id}).
    external_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email or self.github_login or f"requester {self.pk}"

    @property
    def first_name(self) -> str:
        if self.name:
            return self.name.split()[0]
        if self.email:
            return self.email.split("@")[0].split(".")[0].capitalize()
        return self.github_login or ""
