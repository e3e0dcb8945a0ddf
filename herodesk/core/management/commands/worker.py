from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run background jobs (django-tasks-db worker over every queue)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")

    def handle(self, *args: Any, **options: Any) -> None:
        extra: list[str] = ["--queue-name", "*", "--interval", str(options["interval"])]
        if options["max_tasks"]:
            extra += ["--max-tasks", str(options["max_tasks"])]
        if options["batch"]:
            extra.append("--batch")
        call_command("db_worker", *extra)
