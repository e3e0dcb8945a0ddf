from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from herodesk.demo.data import load_demo


class Command(BaseCommand):
    help = "Load the demo data (five teams, people, customers, ~200 tickets). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo(self.stdout, tickets=options["tickets"])
