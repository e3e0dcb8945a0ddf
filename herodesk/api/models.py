"""Rows the API keeps for itself: the answers to creates sent with an
`Idempotency-Key` (herodesk/api/idempotency.py), one day long."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotentRequest(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of method, path, content type and body: a reused key must match it.
    fingerprint = models.CharField(max_length=64)
    # 0 while the first request is still running (inside its transaction).
    status = models.PositiveSmallIntegerField()
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
