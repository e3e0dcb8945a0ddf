"""Helpers for the email channel's tests: build raw mail, deliver it, process it."""

from __future__ import annotations

from collections.abc import Callable
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pytest

from herodesk.intake import base
from herodesk.intake.email.adapter import accept_email
from herodesk.intake.models import Delivery

FIXTURES = Path(__file__).parent / "fixtures"


def raw_mail(
    *,
    subject: str = "Export to S3 fails",
    sender: str = "Ana Lima <ana@acme.example>",
    to: str = "support@herodesk.localhost",
    body: bytes | str = "Hi,\n\nthe nightly export fails with AccessDenied.\n",
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
    content_type: str = "text/plain; charset=utf-8",
    transfer_encoding: str = "8bit",
) -> bytes:
    """A raw message written byte by byte (no library rewriting our test input)."""
    lines = [
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        f"Message-ID: {message_id or make_msgid(domain='acme.example')}",
        "Date: Tue, 04 Mar 2025 10:00:00 +0000",
        "MIME-Version: 1.0",
        f"Content-Type: {content_type}",
        f"Content-Transfer-Encoding: {transfer_encoding}",
        *[f"{name}: {value}" for name, value in (headers or {}).items()],
    ]
    payload = body.encode("utf-8") if isinstance(body, str) else body
    return "\r\n".join(lines).encode("utf-8") + b"\r\n\r\n" + payload


def process(delivery: Delivery) -> Delivery:
    base.process(delivery)
    delivery.refresh_from_db()
    return delivery


@pytest.fixture
def deliver(settings: Any, tmp_path: Path) -> Callable[..., Delivery]:
    """Accept a raw mail as the API or SMTP server would, then run its job."""
    settings.MEDIA_ROOT = tmp_path / "media"

    def run(raw: bytes, **envelope: Any) -> Delivery:
        delivery, _created = accept_email(raw, envelope={"source": "test", **envelope})
        return process(delivery)

    return run


@pytest.fixture
def fixture_bytes() -> Callable[[str], bytes]:
    return lambda name: (FIXTURES / name).read_bytes()
