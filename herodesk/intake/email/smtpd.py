"""The inbound SMTP server's handler (aiosmtpd), behind `herodesk smtpd`.

It accepts mail only for the configured recipient addresses (or whole
domains, written "@example.com"), stores each message as a Delivery *before*
answering 250 (so an accepted mail is never lost), answers 451 when it cannot
store (the sender retries later) and lets aiosmtpd answer 552 above the size
limit. Parsing and ticket work happen later, in the background job.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import close_old_connections, connections

from herodesk.intake.email.adapter import accept_email

log = logging.getLogger(__name__)

Store = Callable[[bytes, dict[str, Any]], Any]


def _default_store(raw: bytes, envelope: dict[str, Any]) -> Any:
    close_old_connections()
    try:
        delivery, _created = accept_email(raw, envelope=envelope)
    finally:
        close_old_connections()
    return delivery


class Recipients:
    """Which RCPT TO addresses this server takes mail for."""

    def __init__(self, addresses: Iterable[str]) -> None:
        cleaned = {a.strip().lower() for a in addresses if a.strip()}
        self.domains = {a[1:] for a in cleaned if a.startswith("@")}
        self.addresses = {a for a in cleaned if not a.startswith("@")}

    def __contains__(self, address: object) -> bool:
        if not isinstance(address, str):
            return False
        address = address.strip().lower()
        return address in self.addresses or address.rpartition("@")[2] in self.domains

    def __bool__(self) -> bool:
        return bool(self.addresses or self.domains)


class IntakeHandler:
    """aiosmtpd handler: RCPT filtering and store-before-250."""

    def __init__(self, recipients: Iterable[str], store: Store | None = None) -> None:
        self.recipients = Recipients(recipients)
        if not self.recipients:
            raise ValueError("the SMTP server needs at least one recipient address")
        self.store = store or _default_store
        # One thread does the database work: the ORM must not run on the event loop.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smtpd-store")

    async def handle_RCPT(  # aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address not in self.recipients:
            return f"550 5.1.1 <{address}>: no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(  # aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        meta = {
            "source": "smtp",
            "mail_from": envelope.mail_from or "",
            "rcpt_tos": list(envelope.rcpt_tos),
            "peer": str(session.peer[0]) if session.peer else "",
            "helo": session.host_name or "",
        }
        loop = asyncio.get_running_loop()
        try:
            delivery = await loop.run_in_executor(self.executor, self.store, raw, meta)
        except Exception:
            log.exception("smtpd: could not store a message from %s", meta["mail_from"])
            return "451 4.3.0 the message could not be stored; please try again later"
        return f"250 2.0.0 OK: queued as {getattr(delivery, 'pk', '')}".rstrip()

    def close(self) -> None:
        """Release the store thread's database connections and stop it."""
        self.executor.submit(connections.close_all).result()
        self.executor.shutdown(wait=True)


def make_controller(
    handler: IntakeHandler, *, host: str, port: int, size_limit: int | None = None
) -> Controller:
    limit = size_limit or settings.HERODESK_MAX_EMAIL_BYTES
    banner_host = settings.HERODESK_SUPPORT_ADDRESS.rpartition("@")[2] or "herodesk"
    return Controller(
        handler, hostname=host, port=port, data_size_limit=limit, server_hostname=banner_host
    )
