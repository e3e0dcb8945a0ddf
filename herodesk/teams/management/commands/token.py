from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from herodesk.teams.actions import token_issue


class Command(BaseCommand):
    help = "Issue an API bearer token for USERNAME and print it (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="a label for the token")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"username: no user named {options['username']!r}")
        if not user.is_active:
            raise CommandError(f"username: {user.username} is not active")
        _token, raw = token_issue(user, options["name"], actor="cli")
        self.stdout.write(raw)
