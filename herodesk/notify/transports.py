"""Send a rendered delivery: email through Django's mail framework, Slack
through slack_sdk. Errors become RetryLater / RateLimited / Permanent."""

from __future__ import annotations

import contextlib
import math
import smtplib
import time
from email.utils import make_msgid
from types import TracebackType
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from herodesk.notify import github, slack
from herodesk.notify.errors import Permanent, RateLimited, RetryLater
from herodesk.notify.models import Delivery, Transport


def build_email(payload: dict[str, Any]) -> EmailMultiAlternatives:
    """The message a payload describes: plain text, an HTML alternative, headers."""
    headers = {k: v for k, v in (payload.get("headers") or {}).items() if v}
    headers.setdefault("Message-ID", make_msgid(domain=payload.get("domain") or None))
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["text"],
        from_email=payload.get("from") or settings.DEFAULT_FROM_EMAIL,
        to=list(payload["to"]),
        cc=list(payload.get("cc") or []),
        reply_to=[payload["reply_to"]] if payload.get("reply_to") else None,
        headers=headers,
    )
    if payload.get("html"):
        message.attach_alternative(payload["html"], "text/html")
    return message


def _smtp_error(exc: Exception) -> Exception:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            return Permanent(f"every recipient refused: {exc.recipients}")
        return RetryLater(f"recipients refused for now: {exc.recipients}")
    if isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code in (550, 551, 553, 554):
        text = (
            exc.smtp_error.decode(errors="replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return Permanent(f"SMTP {exc.smtp_code}: {text}")
    return RetryLater(f"SMTP unavailable: {type(exc).__name__}: {exc}")


class Senders:
    """One SMTP connection and one Slack client for a batch of deliveries."""

    def __init__(self) -> None:
        self._mail: Any = None
        self._slack: Any = None
        self._slack_wait_until = 0.0

    def __enter__(self) -> Senders:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._close_mail()

    def _close_mail(self) -> None:
        if self._mail is not None:
            with contextlib.suppress(Exception):  # closing a broken connection
                self._mail.close()
            self._mail = None

    def send(self, d: Delivery) -> dict[str, Any]:
        if d.transport == Transport.EMAIL:
            return self.send_email(d.payload)
        if d.transport == Transport.SLACK:
            return self.send_slack(d.payload)
        if d.transport == Transport.GITHUB:
            p = d.payload
            return github.post_comment(str(p["repository"]), int(p["number"]), str(p["body"]))
        raise Permanent(f"unknown transport {d.transport!r}")

    def send_email(self, payload: dict[str, Any]) -> dict[str, Any]:
        message = build_email(payload)
        try:
            if self._mail is None:
                self._mail = get_connection(fail_silently=False)
                self._mail.open()
            self._mail.send_messages([message])
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self._close_mail()
            raise _smtp_error(exc) from exc
        mid = str(message.extra_headers.get("Message-ID", ""))
        return {"message_id": mid, "external_id": mid}

    def send_slack(self, payload: dict[str, Any]) -> dict[str, Any]:
        wait = self._slack_wait_until - time.monotonic()
        if wait > 0:
            raise RateLimited(
                f"Slack asked us to wait; {math.ceil(wait)}s left", after=math.ceil(wait)
            )
        if not slack.enabled():
            raise RetryLater("Slack is not configured (HERODESK_SLACK_BOT_TOKEN is empty)")
        if self._slack is None:
            self._slack = slack.client()
        try:
            return slack.post(self._slack, payload)
        except RateLimited as exc:
            self._slack_wait_until = time.monotonic() + (exc.after or 1.0)
            raise
