"""Write audit events. Call inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from herodesk.audit.models import Event
from herodesk.lib.prepared import insert


def actor_parts(actor: Any) -> tuple[Any, str]:
    """Split an actor (a User, a label string or None) into (user, label)."""
    if actor is None:
        return None, "system"
    if isinstance(actor, str):
        return None, actor
    return actor, actor.get_username()


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ticket: Any = None,
    at: Any = None,
) -> Event:
    user, label = actor_parts(actor)
    return insert(
        Event(
            created_at=at or timezone.now(),
            actor=user,
            actor_label=label,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            ticket=ticket,
            before=before or {},
            after=after or {},
        )
    )
