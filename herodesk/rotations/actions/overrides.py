"""Override writes: `person` covers [start, end) whoever the rotation names.

Overlapping overrides are refused unless the new one replaces them (the
others are then trimmed or split around it). An override made by a swap
belongs to a pair: deleting one deletes the pair and marks the swap cancelled.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from herodesk.audit.log import record
from herodesk.lib.errors import Conflict
from herodesk.rotations import queries
from herodesk.rotations.common import (
    emit,
    lock_team,
    now_or,
    override_snapshot,
    require_interval,
    scheduled_people,
    team_member,
    user_of,
)
from herodesk.rotations.models import Override, SwapRequest, SwapStatus
from herodesk.teams.models import Team


def _cancel_swap(swap_id: int, actor: Any, at: datetime) -> None:
    swap = SwapRequest.objects.select_for_update().get(pk=swap_id)
    before = swap.status
    swap.status = SwapStatus.CANCELLED
    swap.save(update_fields=["status"])
    record(
        actor,
        "swap.cancelled",
        swap,
        at=at,
        before={"status": before},
        after={"status": swap.status, "overrides_deleted": True},
    )


def _trim(o: Override, start: datetime, end: datetime, actor: Any, at: datetime) -> None:
    """Make room for [start, end) inside override `o` (delete, shorten or split it)."""
    before = override_snapshot(o)
    left = (o.start, start) if o.start < start else None
    right = (end, o.end) if o.end > end else None
    if left is None and right is None:
        record(actor, "override.deleted", o, at=at, before=before, after={"replaced": True})
        o.delete()
        return
    if left and right:
        Override.objects.create(
            team=o.team,
            person=o.person,
            start=right[0],
            end=right[1],
            reason=o.reason,
            swap=o.swap,
            created_at=at,
            created_by=user_of(actor),
        )
    o.start, o.end = left or right  # type: ignore[misc]
    o.save(update_fields=["start", "end"])
    record(actor, "override.trimmed", o, at=at, before=before, after=override_snapshot(o))


@transaction.atomic
def override_create(
    team: Team,
    *,
    person: Any,
    start: datetime,
    end: datetime,
    actor: Any,
    replace: bool = False,
    reason: str = "",
    swap: Any = None,
    now: datetime | None = None,
    notify: bool = True,
) -> Override:
    """`person` covers [start, end) whoever is scheduled. An overlap with another
    override is refused (409) unless `replace`, which trims the others."""
    at = now_or(now)
    start, end = require_interval(start, end)
    p = team_member(team, person, "person")
    team = lock_team(team)
    overlapping = list(queries.overrides_between(team, start, end))
    if overlapping and not replace:
        o = overlapping[0]
        raise Conflict(
            f"overlaps override #{o.pk} ({o.person.user.username}, {o.start.isoformat()} → "
            f"{o.end.isoformat()}); delete it first or send replace=true",
            field="start",
        )
    affected = scheduled_people(team, start, end) if notify else set()
    for o in overlapping:
        _trim(o, start, end, actor, at)
    override = Override.objects.create(
        team=team,
        person=p,
        start=start,
        end=end,
        reason=(reason or "").strip()[:300],
        swap=swap,
        created_at=at,
        created_by=user_of(actor),
    )
    record(actor, "override.created", override, at=at, after=override_snapshot(override))
    if notify:
        emit(team, {*affected, p.user.username}, "override.created", actor, start, end)
    return override


@transaction.atomic
def override_delete(override: Override, actor: Any, now: datetime | None = None) -> list[int]:
    """Delete an override; one made by a swap takes the whole swap with it.

    Returns the ids deleted.
    """
    at = now_or(now)
    team = lock_team(override.team)
    group = [override]
    if override.swap_id is not None:
        group = list(
            Override.objects.select_related("person__user", "team").filter(swap_id=override.swap_id)
        )
        _cancel_swap(override.swap_id, actor, at)
    start = min(o.start for o in group)
    end = max(o.end for o in group)
    affected: set[str | None] = {o.person.user.username for o in group}
    ids = []
    for o in group:
        record(actor, "override.deleted", o, at=at, before=override_snapshot(o))
        ids.append(o.pk)
        o.delete()
    affected |= scheduled_people(team, start, end)
    emit(team, affected, "override.deleted", actor, start, end)
    return ids
