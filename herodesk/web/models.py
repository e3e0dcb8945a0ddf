"""Macros: canned replies with placeholders. Written by herodesk.tickets.macros."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class MacroKind(models.TextChoices):
    PUBLIC = "public", "Public reply"
    NOTE = "note", "Internal note"


class Macro(models.Model):
    """A canned reply. `team` None: offered on every team's tickets.

    `body` may use placeholders such as {{ requester.first_name }}; they are
    filled by plain substitution (herodesk.tickets.macros), never by a
    template engine. `set_status` is applied when the reply is sent
    ("looking into it" → pending).
    """

    team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="macros"
    )
    name = models.CharField(max_length=100)
    body = models.TextField()
    kind = models.CharField(max_length=8, choices=MacroKind.choices, default=MacroKind.PUBLIC)
    set_status = models.CharField(
        max_length=8,
        blank=True,
        choices=[("", "Leave as is"), ("pending", "Pending"), ("solved", "Solved")],
    )
    position = models.PositiveSmallIntegerField(default=100)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="macro_team_name_unique"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(team__isnull=True),
                name="macro_global_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name
