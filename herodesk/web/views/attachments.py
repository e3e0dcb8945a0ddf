"""Attachments that arrived with a message, downloaded by agents only.

Files are never served from a public /media/ URL: this view checks the role,
and always answers as a download (`Content-Disposition: attachment`, generic
type) so an HTML or SVG file from outside can't run in the desk's origin.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from herodesk.intake.models import Attachment
from herodesk.web.views.common import desk_view


@require_safe
@desk_view
def download(request: HttpRequest, pk: int) -> Any:
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None or not attachment.file:
        raise Http404("no such attachment")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("the attachment's file is missing") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename or f"attachment-{pk}",
        content_type="application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
