"""`herodesk intake list` and `herodesk intake replay ID…` — stored deliveries."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from herodesk.intake import base, registry
from herodesk.intake.models import Delivery, DeliveryStatus

ERROR_WIDTH = 70


def _line(d: Delivery) -> str:
    ticket = f"#{d.ticket_id}" if d.ticket_id else "-"
    error = " ".join(d.error.split())
    if len(error) > ERROR_WIDTH:
        error = error[: ERROR_WIDTH - 1] + "…"
    return (
        f"{d.pk:>7}  {d.received_at:%Y-%m-%d %H:%M:%S}  {d.channel:<10} "
        f"{d.event_type[:28]:<28} {d.status:<9} {d.attempts:>2}  {ticket:<7} {error}"
    )


class Command(BaseCommand):
    help = "List stored intake deliveries, or process stored ones again (replay)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="the latest deliveries, newest first")
        listing.add_argument("--status", choices=DeliveryStatus.values)
        listing.add_argument("--channel", choices=registry.adapter_names())
        listing.add_argument("--limit", type=int, default=50)
        replay = sub.add_parser("replay", help="process stored deliveries again, now")
        replay.add_argument("ids", nargs="*", type=int, metavar="ID")
        replay.add_argument(
            "--failed", action="store_true", help="replay every delivery whose last attempt failed"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list(options)
        else:
            self._replay(options)

    def _list(self, options: dict[str, Any]) -> None:
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        qs = Delivery.objects.defer("body", "headers").order_by("-received_at", "-id")
        if options["status"]:
            qs = qs.filter(status=options["status"])
        if options["channel"]:
            qs = qs.filter(channel=options["channel"])
        rows = list(qs[: options["limit"]])
        self.stdout.write(
            f"{'ID':>7}  {'RECEIVED (UTC)':<19}  {'CHANNEL':<10} {'EVENT':<28} "
            f"{'STATUS':<9} {'N':>2}  {'TICKET':<7} ERROR"
        )
        for d in rows:
            self.stdout.write(_line(d))
        if not rows:
            self.stdout.write("(no deliveries)")

    def _replay(self, options: dict[str, Any]) -> None:
        ids: list[int] = options["ids"]
        if options["failed"]:
            ids = [
                *ids,
                *Delivery.objects.filter(status=DeliveryStatus.FAILED)
                .order_by("id")
                .values_list("id", flat=True),
            ]
        if not ids:
            raise CommandError("give delivery IDs to replay, or --failed")
        found = {d.pk: d for d in Delivery.objects.filter(pk__in=ids)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise CommandError(f"no delivery with ID {', '.join(map(str, missing))}")
        failed = 0
        for pk in dict.fromkeys(ids):
            delivery = base.process(found[pk])
            failed += delivery.status == DeliveryStatus.FAILED
            self.stdout.write(_line(delivery))
        if failed:
            raise CommandError(f"{failed} of {len(found)} replayed deliveries failed")
