"""The `herodesk` console script: every Django management command, plus ours
(demo, serve, worker, token, …)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "herodesk.settings")
    # lazy: Django reads DJANGO_SETTINGS_MODULE when this module loads.
    from django.core.management import execute_from_command_line

    execute_from_command_line(["herodesk", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
