"""Email → tickets: real client replies, charsets, threading, reopening, machine
mail, attachments, HTML sanitizing. Every mail goes through accept + the job."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from herodesk.intake.email import adapter
from herodesk.intake.email.conftest import process, raw_mail
from herodesk.intake.models import Attachment, Delivery
from herodesk.tickets import actions
from herodesk.tickets.models import Channel, Message, Status, Ticket

pytestmark = pytest.mark.django_db


def open_ticket(requester, root_id: str, subject: str = "Funnel insight shows no data") -> Ticket:
    """A ticket whose thread already holds `root_id` (our earlier mail in the thread)."""
    return actions.ticket_create(
        subject=subject,
        body="Our funnel is empty.",
        actor="test",
        channel=Channel.EMAIL,
        requester=requester,
        message_external_id=root_id,
    )


# Real client replies -------------------------------------------------------------------

REPLIES = [
    (
        "gmail_reply.eml",
        "paying_requester",
        "<hd-ack-101.1741082400@herodesk.localhost>",
        "    SELECT count() FROM events",
        ["Hey Ana", "Best regards", "Head of Growth"],
    ),
    (
        "outlook_reply.eml",
        "big_requester",
        "<hd-ack-202.1741161600@herodesk.localhost>",
        "Dana from our platform team is copied.",
        ["Kind Regards", "+44 20", "Hey Gus"],
    ),
    (
        "apple_mail_reply.eml",
        "free_requester",
        "<hd-ack-303.1741275000@herodesk.localhost>",
        '  TypeError: can\'t access property "snapshot"',
        ["Sent from my iPhone", "Which browser"],
    ),
]


@pytest.mark.parametrize(("name", "who", "root", "kept", "dropped"), REPLIES)
def test_real_client_reply_threads_and_shows_only_the_new_text(
    request, deliver, fixture_bytes, name, who, root, kept, dropped
):
    ticket = open_ticket(request.getfixturevalue(who), root)
    delivery = deliver(fixture_bytes(name))
    assert delivery.status == "processed" and delivery.ticket_id == ticket.pk
    message = ticket.messages.latest("id")
    assert kept in message.body
    for text in dropped:
        assert text not in message.body
    assert dropped[0] in message.original  # the original keeps quotes and signature
    assert message.external_id.startswith("<") and message.requester_id == ticket.requester_id


def test_new_mail_opens_an_email_ticket_with_what_replies_need(deliver, paying_requester, team):
    raw = raw_mail(
        subject="Export to S3 fails",
        message_id="<first.1@acme.example>",
        headers={"Reply-To": "ana.lima@acme.example", "Cc": "Dana <dana@acme.example>"},
    )
    delivery = deliver(raw)
    ticket = delivery.ticket
    assert ticket.channel == "email" and ticket.subject == "Export to S3 fails"
    assert ticket.requester == paying_requester and ticket.tier == 3
    assert ticket.metadata["email"] == {
        "message_id": "<first.1@acme.example>",
        "in_reply_to": [],
        "references": ["<first.1@acme.example>"],
        "reply_to": "ana.lima@acme.example",
        "subject": "Export to S3 fails",
        "from": "ana@acme.example",
        "to": ["support@herodesk.localhost"],
        "cc": ["dana@acme.example"],
    }
    assert ticket.messages.get().external_id == "<first.1@acme.example>"


def test_unknown_sender_becomes_a_requester_with_their_name(deliver):
    ticket = deliver(raw_mail(sender='"Zoë Field" <Zoe@Newcorp.example>')).ticket
    assert ticket.requester.email == "zoe@newcorp.example"
    assert ticket.requester.name == "Zoë Field"


# Charsets -------------------------------------------------------------------------------


def koi8_word(text: str) -> str:
    return "=?KOI8-R?B?" + base64.b64encode(text.encode("koi8-r")).decode() + "?="


CHARSETS = [
    (
        "iso-8859-1",
        "=?iso-8859-1?q?R=E9sum=E9_export?=",
        "Résumé export",
        "Café à Paris, déjà vu.".encode("latin-1"),
        "Café à Paris, déjà vu.",
    ),
    (
        "windows-1252",
        "=?windows-1252?q?It=92s_broken?=",
        "It’s broken",
        "It’s broken – “again”.".encode("cp1252"),
        "It’s broken – “again”.",
    ),
    (
        "koi8-r",
        koi8_word("Экспорт не работает"),
        "Экспорт не работает",
        "Привет! Экспорт не работает.".encode("koi8-r"),
        "Привет! Экспорт не работает.",
    ),
    (
        "utf-8",
        "=?UTF-8?Q?Caf=C3=A9_=E2=98=95?= =?UTF-8?B?IOKAlCBkb25l?=",
        "Café ☕ — done",
        "Grüße aus Köln 👋".encode(),
        "Grüße aus Köln 👋",
    ),
    ("x-made-up-charset", "plain subject", "plain subject", "naïve".encode(), "naïve"),
]


@pytest.mark.parametrize(("charset", "subject", "subject_text", "body", "body_text"), CHARSETS)
def test_any_charset_is_decoded(deliver, charset, subject, subject_text, body, body_text):
    raw = raw_mail(subject=subject, body=body, content_type=f"text/plain; charset={charset}")
    ticket = deliver(raw).ticket
    assert ticket.subject == subject_text
    assert ticket.messages.get().body == body_text


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("Olá, está quebrado".encode(), "Olá, está quebrado"),
        ("Olá, está quebrado".encode("latin-1"), "Olá, está quebrado"),
    ],
)
def test_no_declared_charset_tries_utf8_then_windows_1252(deliver, body, text):
    ticket = deliver(raw_mail(body=body, content_type="text/plain")).ticket
    assert ticket.messages.get().body == text


def test_encoded_word_sender_name_and_raw_utf8_subject(deliver):
    raw = raw_mail(
        sender="=?utf-8?b?Sm9zw6kgTcO8bGxlcg==?= <jose@acme.example>",
        subject="Ünïcode straight in the header",
    )
    ticket = deliver(raw).ticket
    assert ticket.requester.name == "José Müller"
    assert ticket.subject == "Ünïcode straight in the header"


# Threading and reopening ----------------------------------------------------------------


def reply_to(ticket: Ticket, **kw) -> bytes:
    return raw_mail(
        subject=kw.pop("subject", "Re: " + ticket.subject),
        body=kw.pop("body", "Still broken, sorry!\n"),
        **kw,
    )


def test_reply_threads_by_in_reply_to(deliver, paying_requester):
    ticket = open_ticket(paying_requester, "<root@acme.example>")
    delivery = deliver(
        reply_to(
            ticket, subject="Re: something else", headers={"In-Reply-To": "<root@acme.example>"}
        )
    )
    assert delivery.ticket_id == ticket.pk and ticket.messages.count() == 2


def test_reply_threads_by_references_only(deliver, paying_requester):
    ticket = open_ticket(paying_requester, "<root@acme.example>")
    refs = "<root@acme.example> <unknown-middle@elsewhere.example>"
    delivery = deliver(reply_to(ticket, subject="Totally new words", headers={"References": refs}))
    assert delivery.ticket_id == ticket.pk


def test_reply_threads_by_subject_tag_only(deliver, paying_requester):
    ticket = open_ticket(paying_requester, "<root@acme.example>")
    delivery = deliver(reply_to(ticket, subject=f"Re: [HD#{ticket.pk}] my problem"))
    assert delivery.ticket_id == ticket.pk and ticket.messages.count() == 2


def test_subject_tag_from_a_stranger_opens_a_new_ticket(deliver, paying_requester):
    ticket = open_ticket(paying_requester, "<root@acme.example>")
    delivery = deliver(
        reply_to(ticket, subject=f"Re: [HD#{ticket.pk}] hijack", sender="eve@evil.example")
    )
    assert delivery.ticket_id != ticket.pk and ticket.messages.count() == 1


def test_reply_to_a_merged_ticket_lands_on_the_surviving_one(deliver, paying_requester):
    old = open_ticket(paying_requester, "<old@acme.example>")
    survivor = open_ticket(paying_requester, "<new@acme.example>")
    Ticket.objects.filter(pk=old.pk).update(merged_into=survivor)
    delivery = deliver(reply_to(old, headers={"In-Reply-To": "<old@acme.example>"}))
    assert delivery.ticket_id == survivor.pk


@pytest.mark.parametrize("status", [Status.PENDING, Status.SOLVED])
def test_requester_reply_reopens_pending_or_solved(deliver, paying_requester, hero, status):
    ticket = open_ticket(paying_requester, "<root@acme.example>")
    actions.ticket_reply(ticket, author=hero, body="Hey Ana, fixed now.", status=status)
    deliver(reply_to(ticket, headers={"In-Reply-To": "<root@acme.example>"}))
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_reply_to_a_closed_ticket_opens_a_linked_follow_up(deliver, paying_requester, hero):
    ticket = open_ticket(paying_requester, "<root@acme.example>")
    actions.ticket_reply(ticket, author=hero, body="Hey Ana, fixed now.", status=Status.SOLVED)
    actions.ticket_set_status(ticket, Status.CLOSED, actor="test")
    delivery = deliver(reply_to(ticket, headers={"In-Reply-To": "<root@acme.example>"}))
    assert delivery.ticket.follow_up_of_id == ticket.pk


# Machine mail ---------------------------------------------------------------------------

AUTOMATIC = [
    {"Auto-Submitted": "auto-replied"},
    {"Auto-Submitted": "auto-generated; type=vacation"},
    {"Precedence": "bulk"},
    {"Precedence": "junk"},
    {"Precedence": "list"},
    {"Precedence": "auto_reply"},
    {"X-Autoreply": "yes"},
    {"X-Autorespond": "Out of office"},
]


@pytest.mark.parametrize("headers", AUTOMATIC)
def test_automatic_mail_is_recorded_as_ignored_and_opens_nothing(deliver, headers):
    delivery = deliver(raw_mail(headers=headers))
    assert delivery.status == "ignored" and "automatic mail" in delivery.error
    assert not Ticket.objects.exists()


def test_auto_submitted_no_is_a_person(deliver):
    assert deliver(raw_mail(headers={"Auto-Submitted": "no"})).status == "processed"


@pytest.mark.parametrize(
    ("name", "reason"),
    [("bounce_dsn.eml", "automatic mail"), ("out_of_office.eml", "auto-generated")],
)
def test_real_bounces_and_out_of_office_are_ignored(
    deliver, fixture_bytes, big_requester, name, reason
):
    ticket = open_ticket(big_requester, "<hd-reply-202-2.1741594500@herodesk.localhost>")
    delivery = deliver(fixture_bytes(name))
    assert delivery.status == "ignored" and reason in delivery.error
    assert ticket.messages.count() == 1 and Ticket.objects.count() == 1


@pytest.mark.parametrize(
    ("raw", "envelope", "reason"),
    [
        (raw_mail(sender="MAILER-DAEMON@mx.acme.example"), {}, "bounce"),
        (raw_mail(), {"mail_from": ""}, "empty envelope sender"),
        (raw_mail(sender="HeroDesk <support@herodesk.localhost>"), {}, "mail loop"),
        (
            raw_mail(
                content_type='multipart/report; report-type=disposition-notification; boundary="b"',
                body=b"--b\r\n\r\nread\r\n--b--\r\n",
            ),
            {},
            "multipart/report",
        ),
    ],
)
def test_bounces_and_our_own_mail_never_loop(deliver, raw, envelope, reason):
    delivery = deliver(raw, **envelope)
    assert delivery.status == "ignored" and reason in delivery.error
    assert not Ticket.objects.exists()


def test_a_sender_flooding_us_is_treated_as_a_loop(deliver, monkeypatch):
    monkeypatch.setattr(adapter, "LOOP_LIMIT_PER_HOUR", 2)
    statuses = [deliver(raw_mail(subject=f"Ping {n}")).status for n in range(3)]
    assert statuses == ["processed", "processed", "ignored"]
    assert Ticket.objects.count() == 2


# Robustness, idempotency, attachments, HTML ----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "malformed email"),
        (b"Subject: hello\r\n\r\nno sender at all\r\n", "no sender"),
        (b"From: <<<>>>\r\nSubject: x\r\n\r\nbody", "no sender"),
    ],
)
def test_malformed_mail_is_a_clear_failure_record(deliver, raw, error):
    delivery = deliver(raw)
    assert delivery.status == "failed" and error in delivery.error
    assert not Ticket.objects.exists()


def test_the_same_mail_twice_is_one_delivery_and_one_ticket(deliver):
    raw = raw_mail(message_id="<once@acme.example>")
    first, second = deliver(raw), deliver(raw)
    assert first.pk == second.pk and Delivery.objects.count() == 1
    assert Ticket.objects.count() == 1


def test_mail_without_message_id_is_keyed_by_its_hash(deliver):
    raw = raw_mail().replace(b"Message-ID:", b"X-Old-Message-ID:")
    delivery = deliver(raw)
    assert delivery.key == "sha256:" + hashlib.sha256(raw).hexdigest()
    assert delivery.status == "processed"


@pytest.mark.parametrize("message_id", [True, False])
def test_replaying_a_processed_delivery_adds_nothing(deliver, fixture_bytes, message_id):
    raw = fixture_bytes("outlook_reply.eml")
    if not message_id:
        raw = raw.replace(b"Message-ID:", b"X-No-Message-ID:")
    delivery = deliver(raw)
    again = process(delivery)
    assert again.status == "processed" and again.ticket_id == delivery.ticket_id
    assert Message.objects.count() == 1 and Attachment.objects.count() == 1


def test_attachments_are_stored_under_media_root(deliver, fixture_bytes, settings):
    delivery = deliver(fixture_bytes("outlook_reply.eml"))
    attachment = Attachment.objects.get()
    assert attachment.message is not None and attachment.message.ticket_id == delivery.ticket_id
    assert attachment.filename == "export-policy.json"
    assert attachment.content_type == "application/json" and attachment.size == 157
    path = Path(attachment.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT))
    content = path.read_bytes()
    assert b'"s3:PutObject"' in content and attachment.sha256 == hashlib.sha256(content).hexdigest()


def test_html_is_sanitized_and_a_text_body_derived(deliver):
    html = (
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
        '<p onclick="steal()">Hello <b>team</b>,</p><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">click</a> <a href="https://ok.example/">docs</a>'
        '<iframe src="https://evil.example"></iframe></body></html>'
    )
    ticket = deliver(raw_mail(body=html, content_type="text/html; charset=utf-8")).ticket
    message = ticket.messages.get()
    for bad in (
        "script",
        "alert",
        "onerror",
        "onclick",
        "javascript:",
        "iframe",
        "<img",
        "color:red",
    ):
        assert bad not in message.body_html
    assert (
        '<a href="https://ok.example/" rel="noopener noreferrer nofollow">docs</a>'
        in message.body_html
    )
    assert message.body.startswith("Hello team,")
