"""Reading bounces: real DSNs (Postfix, CPython's corpus), plain-text bounces, non-bounces."""

from __future__ import annotations

import email
from pathlib import Path

import pytest

from herodesk.intake.email.dsn import FailedRecipient, parse_bounce

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(email.__file__).parent.parent / "test" / "test_email" / "data"


def test_a_postfix_dsn_names_our_message_and_the_failed_owner() -> None:
    bounce = parse_bounce((FIXTURES / "bounce_dsn.eml").read_bytes())
    assert bounce is not None
    assert bounce.original_ids == ("<hd-playbook-303-1.1741701700@herodesk.localhost>",)
    assert bounce.recipients == (
        FailedRecipient(
            "old.owner@tiny.example",
            "5.1.1",
            "550 5.1.1 <old.owner@tiny.example>: Recipient address rejected: "
            "User unknown in virtual mailbox table",
        ),
    )
    assert bounce.reason.startswith("old.owner@tiny.example: 550 5.1.1")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="this Python has no email test corpus")
@pytest.mark.parametrize(
    ("name", "original", "recipient"),
    [
        # message/rfc822 original, upper-case content types
        ("msg_16.txt", "<002001c144a6$8752e060$56104586@oxy.edu>", "jangel1@cougar.noc.ucla.edu"),
        # a report whose MIME boundary is broken: read as text
        ("msg_25.txt", "<01040616033903.00962@server>", "scoffman@wellpartner.com"),
    ],
)
def test_real_world_dsns_from_cpythons_corpus(name: str, original: str, recipient: str) -> None:
    bounce = parse_bounce((CORPUS / name).read_bytes())
    assert bounce is not None
    assert bounce.original_ids[0] == original
    assert bounce.recipients[0].address == recipient


def test_an_exim_style_plain_text_bounce() -> None:
    raw = (
        b"From: Mail Delivery System <Mailer-Daemon@mx.example>\r\n"
        b"To: support@herodesk.localhost\r\n"
        b"Subject: Mail delivery failed: returning message to sender\r\n"
        b"Message-Id: <E1bounce@mx.example>\r\n"
        b"X-Failed-Recipients: gone@tiny.example\r\n"
        b"Auto-Submitted: auto-replied\r\n"
        b"\r\n"
        b"This message was created automatically by mail delivery software.\r\n\r\n"
        b"  gone@tiny.example\r\n    retry timeout exceeded\r\n\r\n"
        b"------ This is a copy of the message, including all the headers. ------\r\n\r\n"
        b"Message-ID: <hd-1.2@herodesk.localhost>\r\n"
        b"Subject: Ownership of Acme\r\n"
    )
    bounce = parse_bounce(raw)
    assert bounce is not None
    assert bounce.original_ids == ("<hd-1.2@herodesk.localhost>",)
    assert [r.address for r in bounce.recipients] == ["gone@tiny.example"]


def test_a_delayed_report_is_not_a_bounce() -> None:
    raw = (FIXTURES / "bounce_dsn.eml").read_bytes()
    delayed = raw.replace(b"Action: failed", b"Action: delayed").replace(
        b"Status: 5.1.1", b"Status: 4.4.1"
    )
    assert parse_bounce(delayed) is None


@pytest.mark.parametrize("name", ["gmail_reply.eml", "out_of_office.eml"])
def test_mail_that_is_not_a_bounce(name: str) -> None:
    assert parse_bounce((FIXTURES / name).read_bytes()) is None


def test_garbage_is_not_a_bounce() -> None:
    assert parse_bounce(b"\x00\xff not mail at all") is None
    assert parse_bounce(b"") is None
