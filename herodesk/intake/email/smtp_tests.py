"""The inbound SMTP server on loopback: real aiosmtpd, real smtplib, real database."""

from __future__ import annotations

import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from herodesk.intake.email.conftest import raw_mail
from herodesk.intake.email.smtpd import IntakeHandler, make_controller
from herodesk.intake.models import Delivery
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)
SUPPORT = "support@herodesk.localhost"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any, tmp_path: Any) -> Iterator[Any]:
    """Start a server for given recipients/store/limit; stopped after the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    started: list[tuple[Any, IntakeHandler]] = []

    def start(
        recipients: tuple[str, ...] = (SUPPORT, "@help.acme.example"),
        store: Any = None,
        size_limit: int | None = None,
    ) -> int:
        handler = IntakeHandler(recipients, store=store)
        port = free_port()
        controller = make_controller(handler, host="127.0.0.1", port=port, size_limit=size_limit)
        controller.start()
        started.append((controller, handler))
        return port

    yield start
    for controller, handler in started:
        controller.stop()
        handler.close()


def send(port: int, raw: bytes, to: str = SUPPORT, sender: str = "ana@acme.example") -> Any:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        return client.sendmail(sender, [to], raw)


def test_mail_sent_over_smtp_becomes_a_ticket(smtp_server, paying_requester):
    port = smtp_server()
    raw = raw_mail(subject="SMTP says hi", message_id="<smtp.1@acme.example>")
    assert send(port, raw) == {}  # every recipient accepted (250)
    delivery = Delivery.objects.get()  # stored before the 250 came back
    assert delivery.channel == "email" and delivery.key == "<smtp.1@acme.example>"
    assert bytes(delivery.body) == raw + b"\r\n"  # verbatim, as it came over the wire
    assert delivery.headers["mail_from"] == "ana@acme.example"
    assert delivery.headers["rcpt_tos"] == [SUPPORT]
    call_command("worker", "--batch")  # the real background job, as `herodesk worker` runs it
    delivery.refresh_from_db()
    ticket = Ticket.objects.get()
    assert delivery.status == "processed" and delivery.ticket == ticket
    assert ticket.subject == "SMTP says hi" and ticket.requester == paying_requester


def test_a_whole_domain_can_be_accepted(smtp_server):
    port = smtp_server()
    send(port, raw_mail(), to="billing@help.acme.example")
    assert Delivery.objects.get().headers["rcpt_tos"] == ["billing@help.acme.example"]


def test_unknown_recipient_is_refused_with_550(smtp_server):
    port = smtp_server()
    with pytest.raises(smtplib.SMTPRecipientsRefused) as exc:
        send(port, raw_mail(), to="someone@else.example")
    assert exc.value.recipients["someone@else.example"][0] == 550
    assert not Delivery.objects.exists()


def test_mail_over_the_size_limit_is_refused_with_552(smtp_server):
    port = smtp_server(size_limit=4096)
    with pytest.raises((smtplib.SMTPSenderRefused, smtplib.SMTPDataError)) as exc:
        send(port, raw_mail(body=("x" * 70 + "\n") * 150))
    assert exc.value.smtp_code == 552
    assert not Delivery.objects.exists()


def test_a_storage_failure_answers_451_so_the_sender_retries(smtp_server):
    def broken_store(raw: bytes, envelope: dict[str, Any]) -> Any:
        raise RuntimeError("database is down")

    port = smtp_server(store=broken_store)
    with pytest.raises(smtplib.SMTPDataError) as exc:
        send(port, raw_mail())
    assert exc.value.smtp_code == 451


def test_a_resent_message_is_stored_once(smtp_server):
    port = smtp_server()
    raw = raw_mail(message_id="<twice@acme.example>")
    send(port, raw)
    send(port, raw)
    assert Delivery.objects.count() == 1


def noop_code(port: int, tries: int = 100) -> int | None:
    """NOOP's reply code once the server listens (bounded polling, no timing asserted)."""
    for _ in range(tries):
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=5) as client:
                return int(client.noop()[0])
        except OSError:
            time.sleep(0.1)
    return None


def test_herodesk_smtpd_command_serves_until_stopped():
    port = free_port()
    command = [sys.executable, "-m", "herodesk", "smtpd", "--port", str(port)]
    proc = subprocess.Popen(
        [*command, "--recipient", SUPPORT],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        code = noop_code(port, tries=600)  # a cold start on a loaded machine takes a while
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert code == 250, out
    assert f"listening on 127.0.0.1:{port}" in out and "smtpd stopped" in out
