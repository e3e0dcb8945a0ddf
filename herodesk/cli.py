"""The `herodesk` console script: every Django management command, plus ours
(demo, serve, worker, token, …).

Start-up runs with the garbage collector off: importing Django and the apps
creates a few hundred thousand objects (modules, classes, functions) that live
as long as the process, and the collector would walk them again and again
while they are created — about 6 % of a `herodesk who` (issue 17 §5). Once the
apps are loaded and the command is about to run, those objects are moved out
of the collector's sight (`gc.freeze()`) and collection is turned back on, so
long-running commands (`serve`, `worker`) collect as usual.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any


def started() -> None:
    """The apps are loaded: collect garbage again, ignoring what start-up made."""
    gc.freeze()
    gc.enable()


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "herodesk.settings")
    gc.disable()
    # lazy: Django reads DJANGO_SETTINGS_MODULE when this module loads.
    from django.core.management import ManagementUtility

    class Utility(ManagementUtility):
        def fetch_command(self, subcommand: str) -> Any:
            started()  # called once django.setup() has run, before the command
            return super().fetch_command(subcommand)

    try:
        Utility(["herodesk", *(sys.argv[1:] if argv is None else argv)]).execute()
    finally:
        started()


if __name__ == "__main__":
    main()
