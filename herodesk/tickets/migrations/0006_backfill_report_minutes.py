"""Backfill the report minutes of existing tickets (SPEC §10).

First response: working minutes from arrival to the first public reply in the
team's calendar. Pauses before the first reply are not known for old rows (the
clock forgets them when it stops), so none are subtracted; new replies store
the exact figure. Resolution: working minutes from arrival to the solve.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import migrations

from herodesk.domain.business_hours import Calendar, CalendarError

BATCH = 2000
MINUTE = timedelta(minutes=1)
WEEKDAY_HOURS = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def _calendar(team: Any, cache: dict[Any, Calendar]) -> Calendar:
    key = team.pk if team is not None else None
    if key not in cache:
        if team is None:
            cache[key] = Calendar.from_spec(settings.HERODESK_DEFAULT_TIME_ZONE, WEEKDAY_HOURS)
        else:
            try:
                cache[key] = Calendar.from_spec(
                    team.time_zone,
                    team.hours,
                    team.holiday_country or None,
                    team.holiday_subdiv or None,
                )
            except CalendarError:  # a calendar the desk would refuse: weekday hours
                cache[key] = Calendar.from_spec(team.time_zone or "UTC", WEEKDAY_HOURS)
    return cache[key]


def backfill(apps: Any, schema_editor: Any) -> None:
    Ticket = apps.get_model("tickets", "Ticket")
    Team = apps.get_model("teams", "Team")
    teams = {t.pk: t for t in Team.objects.all()}
    cache: dict[Any, Calendar] = {}
    todo = Ticket.objects.filter(first_response_at__isnull=False, first_response_minutes=None)
    todo = todo | Ticket.objects.filter(solved_at__isnull=False, resolution_minutes=None)
    last = 0
    while True:
        batch = list(
            todo.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "team_id", "created_at", "first_response_at", "solved_at")[:BATCH]
        )
        if not batch:
            return
        for t in batch:
            cal = _calendar(teams.get(t.team_id), cache)
            if t.first_response_at is not None:
                t.first_response_minutes = cal.between(t.created_at, t.first_response_at) / MINUTE
            if t.solved_at is not None:
                t.resolution_minutes = cal.between(t.created_at, t.solved_at) / MINUTE
        Ticket.objects.bulk_update(batch, ["first_response_minutes", "resolution_minutes"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("tickets", "0005_report_minutes"), ("teams", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
