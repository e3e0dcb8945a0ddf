from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from herodesk.rotations import queries
from herodesk.rotations.management.commands._format import instant, local, team_named

MAX_WEEKS = 104


class Command(BaseCommand):
    help = "The final schedule of TEAM (overrides applied, gaps shown) for N weeks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("team", metavar="TEAM", help="team slug")
        parser.add_argument("--weeks", default="4", help=f"how many weeks (1–{MAX_WEEKS})")
        parser.add_argument("--start", help="ISO instant or date (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        team = team_named(options["team"])
        try:
            weeks = int(options["weeks"])
        except ValueError:
            weeks = 0
        if not 1 <= weeks <= MAX_WEEKS:
            raise CommandError(
                f"--weeks: expected a whole number 1–{MAX_WEEKS}, got {options['weeks']!r}"
            )
        zone = queries.zone_of(team)
        start = instant(options["start"], "--start", zone, timezone.now())
        end = start + timedelta(weeks=weeks)
        loaded = queries.load([team], start, end)
        self.stdout.write(f"{team.name} — {local(start, zone)} → {local(end, zone)}")
        for shift in loaded.schedules[team.pk].final(start, end):
            person = loaded.people.get(shift.person or "")
            who = (
                f"{person.display_name} ({shift.person})"
                if person
                else shift.person or "— nobody (gap) —"
            )
            tag = {"override": "  [override]", "gap": "  [gap]"}.get(shift.source, "")
            self.stdout.write(
                f"  {local(shift.start, zone)} → {local(shift.end, zone)}  {who}{tag}"
            )
