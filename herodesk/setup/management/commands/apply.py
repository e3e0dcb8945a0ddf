"""`herodesk apply FILE.toml [--dry-run] [--prune] [--by USERNAME]`."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from herodesk.setup.apply import apply_text
from herodesk.teams.models import Team


class Command(BaseCommand):
    help = (
        "Make the desk look like a setup file (people, teams, rotations, routing, "
        "repositories, macros). The whole file is checked first; on any problem "
        "nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the setup file (TOML); - reads standard input")
        parser.add_argument("--dry-run", action="store_true", help="show the changes only")
        parser.add_argument(
            "--prune", action="store_true", help="also remove what the file does not describe"
        )
        parser.add_argument("--by", metavar="USERNAME", help="the admin the audit log names")
        parser.add_argument(
            "--if-new",
            action="store_true",
            help="apply only to a desk that has no teams yet (`make run` seeds the demo desk "
            "this way, so a second run keeps what was changed since)",
        )

    def _who(self, username: str | None) -> tuple[str, Any]:
        if not username:
            try:
                login = getpass.getuser()
            except (KeyError, OSError):  # no login name (a container, CI)
                login = "someone"
            return f"{login} (command line)", None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or not user.is_superuser:
            raise CommandError(f"--by {username}: no active admin with that username")
        return username, user

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {name}: {exc}") from None
        who, user = self._who(options["by"])
        if options["if_new"] and Team.objects.exists():
            self.stdout.write(f"{name}: not applied, this desk already has teams (--if-new)")
            return
        outcome = apply_text(
            text, name, who=who, user=user, prune=options["prune"], dry_run=options["dry_run"]
        )
        if outcome.problems:
            for problem in outcome.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{name}: nothing was changed")
        for change in outcome.changes:
            self.stdout.write(str(change))
        if not outcome.changes:
            self.stdout.write("no changes")
        elif options["dry_run"]:
            self.stdout.write(f"dry run: {len(outcome.changes)} changes, nothing written")
