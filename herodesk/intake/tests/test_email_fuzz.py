"""Issue 16 §3: the raw-MIME email endpoint under hypothesis.

Real messages (the client replies and machine mail under fixtures/, plus a
multipart one built here) are mutated — bytes flipped, cut, spliced, headers
doubled or broken, boundaries and charsets damaged — and POSTed to
/api/v1/email. The endpoint answers 202 or a clear 4xx, never a 5xx, and the
worker ends each stored mail as processed, ignored or failed with a reason:
never with an unexpected exception (those are logged by intake.base).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from herodesk.intake import base
from herodesk.intake.models import Delivery
from herodesk.teams.actions import token_issue

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parents[1] / "email" / "fixtures"
MULTIPART = (
    b"From: =?utf-8?q?Jos=C3=A9?= <jose@acme.example>\r\nTo: support@herodesk.localhost\r\n"
    b"Subject: =?iso-8859-1?q?Caf=E9_export?=\r\nMessage-ID: <multi.1@acme.example>\r\n"
    b"In-Reply-To: <hd-ack-101.1741082400@herodesk.localhost>\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\n--XYZ\r\n'
    b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: "
    b"quoted-printable\r\n\r\nCaf=E9 export fails=\r\n again.\r\n--XYZ\r\n"
    b'Content-Type: application/json; name="log.json"\r\nContent-Disposition: attachment; '
    b'filename="log.json"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    b"eyJlcnJvciI6ICJBY2Nlc3NEZW5pZWQifQ==\r\n--XYZ--\r\n"
)
SEEDS = [p.read_bytes() for p in sorted(FIXTURES.glob("*.eml"))] + [MULTIPART]
NASTY = [
    b"\x00",
    b"\r\n\r\n",
    b"\xff\xfe",
    b"=?utf-8?b?",
    b"--XYZ--",
    b"Content-Type: multipart/mixed; boundary=\r\n",
    b"Content-Transfer-Encoding: base64\r\n",
    b"charset=unknown-8bit",
    b"From: \r\n",
    b"Message-ID: <\r\n",
    "\u202e\U0001f4a5".encode(),
    b"A" * 2000,
]


@st.composite
def mutated(draw: Any) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "delete", "dup_line", "swap"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(NASTY) | st.binary(min_size=1, max_size=40))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        else:
            lines = bytes(data).split(b"\r\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "dup_line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\r\n".join(lines))
    return bytes(data) or b"\r\n"  # an empty POST carries no Content-Type at all


@pytest.fixture
def token(hero: Any) -> str:
    return token_issue(hero)[1]


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=mutated())
def test_mutated_mail_never_gets_a_5xx_nor_crashes_the_worker(
    raw: bytes, token: str, settings: Any, tmp_path: Path, caplog: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    caplog.clear()
    res = Client().post(
        "/api/v1/email",
        data=raw,
        content_type="message/rfc822",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert res.status_code in (202, 400, 413, 422), (res.status_code, res.content[:200])
    if res.status_code != 202:
        assert res.json()["detail"]
        return
    delivery = Delivery.objects.get(pk=res.json()["delivery"])
    if delivery.status == "accepted":
        with caplog.at_level(logging.ERROR, logger="herodesk.intake.base"):
            base.process(delivery)
        delivery.refresh_from_db()
        assert delivery.status in ("processed", "ignored", "failed")
        crashes = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert not crashes, (delivery.error, raw[:300])
        if delivery.status == "processed":
            assert delivery.ticket is not None
            assert delivery.ticket.subject.strip()
