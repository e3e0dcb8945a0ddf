from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from herodesk.audit.log import record
from herodesk.teams.models import ApiToken


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
        token, raw = ApiToken.issue(user, options["name"])
        record("cli", "token.issued", token, after={"user": user.username, "prefix": token.prefix})
        self.stdout.write(raw)
