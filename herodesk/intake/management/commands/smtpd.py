"""`herodesk smtpd --host 127.0.0.1 --port 2525`: the inbound SMTP server."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from herodesk.intake.email.smtpd import IntakeHandler, make_controller


class Command(BaseCommand):
    help = (
        "Receive support mail over SMTP: each message for a configured address is stored "
        "before the server answers 250 and becomes a ticket in the background worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=2525, help="port to listen on")
        parser.add_argument(
            "--recipient",
            action="append",
            default=None,
            metavar="ADDRESS",
            help="accept mail for this address or @domain (repeatable; default: "
            "HERODESK_INBOUND_ADDRESSES)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verbosity"] < 2:  # aiosmtpd logs every SMTP command at INFO
            logging.getLogger("mail.log").setLevel(logging.WARNING)
        recipients = options["recipient"] or settings.HERODESK_INBOUND_ADDRESSES
        if not recipients:
            raise CommandError(
                "no recipient address: set HERODESK_INBOUND_ADDRESSES or pass --recipient"
            )
        handler = IntakeHandler(recipients)
        controller = make_controller(handler, host=options["host"], port=options["port"])
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        try:
            controller.start()
        except (OSError, RuntimeError) as exc:
            handler.close()
            raise CommandError(
                f"cannot listen on {options['host']}:{options['port']}: {exc}"
            ) from exc
        self.stdout.write(
            f"smtpd listening on {options['host']}:{options['port']} for "
            f"{', '.join(recipients)} (max {settings.HERODESK_MAX_EMAIL_BYTES} "
            "bytes); Ctrl+C stops"
        )
        try:
            stop.wait()
        finally:
            controller.stop()
            handler.close()
            self.stdout.write("smtpd stopped")
