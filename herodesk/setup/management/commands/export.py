"""`herodesk export > FILE.toml`: the desk's setup as a file `apply` takes back."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from herodesk.domain.config.export import render
from herodesk.setup.state import DEFAULTS, read


class Command(BaseCommand):
    help = "Print the desk's setup (people, teams, rotations, routing, …) as a TOML setup file."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(render(read(), DEFAULTS), ending="")
