"""Store a mail's attachments with Django's default storage (MEDIA_ROOT)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename

from herodesk.intake.email.parse import RawAttachment
from herodesk.intake.models import Attachment, Delivery, attachment_path
from herodesk.tickets.models import Message


def safe_filename(name: str) -> str:
    """A name that is harmless on any file system (no paths, no odd characters)."""
    try:
        return get_valid_filename(name)[:150]
    except SuspiciousFileOperation:
        return "attachment"


def store_attachments(
    parts: Iterable[RawAttachment],
    *,
    message: Message,
    delivery: Delivery | None,
    at: datetime,
) -> list[Attachment]:
    """Save each part (content-addressed, so a replay reuses the same file)."""
    stored = []
    for part in parts:
        digest = hashlib.sha256(part.payload).hexdigest()
        row = Attachment(
            message=message,
            delivery=delivery,
            filename=part.filename[:255],
            content_type=part.content_type[:127],
            size=len(part.payload),
            sha256=digest,
            content_id=part.content_id[:255],
            inline=part.inline,
            created_at=at,
        )
        path = attachment_path(row, safe_filename(part.filename))
        if not default_storage.exists(path):
            path = default_storage.save(path, ContentFile(part.payload))
        row.file.name = path
        row.save()
        stored.append(row)
    return stored
