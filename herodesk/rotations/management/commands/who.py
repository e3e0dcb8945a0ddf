from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from herodesk.rotations import queries
from herodesk.rotations.management.commands._format import instant, local, team_named
from herodesk.teams.models import Team


class Command(BaseCommand):
    help = "Who is Support Hero now (or --at an instant), for every team or one TEAM."
    # A read-only question asked many times a day: no system checks, so the URLconf
    # and every view stay unloaded (`herodesk check` runs them; bench/bench_cli.py).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("team", nargs="?", metavar="TEAM", help="team slug (default: all)")
        parser.add_argument("--at", help="ISO 8601 instant, e.g. 2025-03-31T09:00:00+01:00")

    def handle(self, *args: Any, **options: Any) -> None:
        at = instant(options["at"], "--at", None, timezone.now())
        teams = (
            [team_named(options["team"])]
            if options["team"]
            else list(Team.objects.order_by("name"))
        )
        loaded = queries.load(teams, at, at + timedelta(microseconds=1))
        for team in teams:
            versions = loaded.versions.get(team.pk)
            zone = ZoneInfo(versions[-1].time_zone if versions else team.time_zone)
            shift = loaded.schedules[team.pk].who(at)
            self.stdout.write(self._line(team, shift, zone, loaded, at))

    def _line(
        self, team: Team, shift: Any, zone: ZoneInfo, loaded: queries.Loaded, at: datetime
    ) -> str:
        if shift.person is None:
            # Only the asked instant is loaded, so a gap that nothing loaded ends
            # comes back ending right after it: "until now" would be untrue, and
            # a rotation or override starting later is not known here.
            if shift.end is None or shift.end <= at + timedelta(microseconds=1):
                nxt = f"`herodesk schedule {team.slug}` shows what comes next"
                return f"{team.name}: nobody (gap); {nxt}"
            return f"{team.name}: nobody (gap) until {local(shift.end, zone)}"
        person = loaded.people.get(shift.person)
        name = f"{person.display_name} ({shift.person})" if person else shift.person
        via = " [override]" if shift.source == "override" else ""
        mine = ""
        if person is not None:
            their = person.calendar().tz
            mine = f"; their time {at.astimezone(their):%H:%M} {their.key}"
        return (
            f"{team.name}: {name}{via} since {local(shift.start, zone)} "
            f"until {local(shift.end, zone)}{mine}"
        )
