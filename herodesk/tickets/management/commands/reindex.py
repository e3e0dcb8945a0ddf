"""`herodesk reindex`: rebuild the full-text index from the tables (docs/search.md)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from herodesk.tickets.actions import ReindexReport, tickets_reindex
from herodesk.tickets.actions.index import REINDEX_BATCH


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every ticket from tickets and messages, in "
        "batches (one transaction each); drops entries of deleted tickets. Safe to "
        "run again at any time: the desk keeps working while it runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", type=int, default=REINDEX_BATCH, help="tickets per transaction"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch = options["batch"]
        if not 1 <= batch <= 100_000:
            raise CommandError("--batch: between 1 and 100000 tickets")
        verbose = options["verbosity"] >= 2
        start = time.perf_counter()

        def progress(report: ReindexReport) -> None:
            if verbose:
                self.stdout.write(f"  {report.indexed} tickets indexed …")

        report = tickets_reindex(batch=batch, progress=progress)
        if options["verbosity"] >= 1:
            took = time.perf_counter() - start
            self.stdout.write(
                f"Indexed {report.indexed} tickets in {report.batches} batches; "
                f"removed {report.removed} stale entries ({took:.1f} s)."
            )
