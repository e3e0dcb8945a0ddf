"""The sessions people have open (the session store itself knows no owner).

One row per signed-in browser session: created at sign-in (or on the first
request of a session older than this table), touched at most every few
minutes, deleted at sign-out or revocation. Writes: security/actions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SignInSession(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signin_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # How the person proved who they are: "password", "sso", "password+totp", …
    method = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        indexes = [models.Index(fields=["user", "last_seen_at"], name="signin_user_seen")]

    def __str__(self) -> str:
        return f"{self.user_id} since {self.created_at:%Y-%m-%d %H:%M}"
