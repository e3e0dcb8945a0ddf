"""Attachments are downloads for agents only, never public files."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from herodesk.intake.models import Attachment
from herodesk.tickets import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(team, paying_requester, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = actions.ticket_create(
        subject="Logs", body="see attached", actor="t", team=team, requester=paying_requester
    )
    a = Attachment(
        message=ticket.messages.get(),
        filename="page.html",
        content_type="text/html",
        size=31,
        sha256="x" * 64,
        created_at=timezone.now(),
    )
    a.file.save("page.html", ContentFile(b"<script>alert('owned')</script>"), save=True)
    return ticket, a


def test_agent_downloads_as_attachment_with_generic_type(attachment, hero, client):
    ticket, a = attachment
    client.force_login(hero)
    page = client.get(f"/tickets/{ticket.pk}/")
    assert f"/attachments/{a.pk}/".encode() in page.content
    res = client.get(f"/attachments/{a.pk}/")
    assert res.status_code == 200
    assert res["Content-Type"] == "application/octet-stream"
    assert res["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in res["Content-Security-Policy"]
    assert b"".join(res.streaming_content) == b"<script>alert('owned')</script>"


def test_outsider_and_anonymous_cannot_download(attachment, outsider, client):
    _, a = attachment
    res = client.get(f"/attachments/{a.pk}/")
    assert res.status_code == 302 and "/login/" in res["Location"]
    client.force_login(outsider)
    assert client.get(f"/attachments/{a.pk}/").status_code == 403
    assert client.get("/attachments/999999/").status_code == 403


def test_missing_attachment_is_404(hero, client):
    client.force_login(hero)
    assert client.get("/attachments/999999/").status_code == 404
