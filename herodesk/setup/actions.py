"""The setup app's one write: the audit record of an applied setup file (each
change in it is recorded by the action that made it)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from herodesk.audit.models import Event


def setup_applied(*, file: str, who: str, user: Any, changes: list[str]) -> Event:
    """ "applied from FILE by USER", with the list of changes; call inside the
    transaction that made them."""
    return Event.objects.create(
        created_at=timezone.now(),
        actor=user,
        actor_label=who[:200],
        action="setup.applied",
        object_type="setup.file",
        object_id=file[-64:],
        after={"summary": f"applied from {file} by {who}", "changes": changes},
    )
