"""Real parts for the notification tests: an SMTP server on loopback (aiosmtpd)
that can be stopped and started, a local HTTP server standing in for Slack's
API (pytest-httpserver), and a way to run queued jobs in-process."""

from __future__ import annotations

import asyncio
import email
import json
import logging
import socket
import threading
from collections.abc import Iterator
from datetime import datetime
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, connections

SLACK_TOKEN = "xoxb-test-token"
logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd chatter


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps what it accepts (and can refuse or stall)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()
        self.stall_first = 0.0  # seconds to hang on the first DATA, then answer 451
        self.stalled = threading.Event()
        self._lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.stall_first and not self.stalled.is_set():
            self.stalled.set()
            await asyncio.sleep(self.stall_first)
            return "451 4.3.0 stalled on purpose"
        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 2.0.0 accepted"

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]


class SmtpServer:
    """A real SMTP server on a fixed loopback port, stoppable and restartable."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, ready_timeout=10
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def slack_api(settings: Any, httpserver: Any) -> Any:
    """Slack's Web API stand-in; every chat.postMessage answers ok unless a test says."""
    settings.HERODESK_SLACK_API_URL = httpserver.url_for("/api/")
    settings.HERODESK_SLACK_BOT_TOKEN = SLACK_TOKEN
    return httpserver


def ok_post(httpserver: Any, ts: str = "1700000000.000100") -> None:
    httpserver.expect_request("/api/chat.postMessage", method="POST").respond_with_json(
        {"ok": True, "channel": "C1", "ts": ts}
    )


def slack_posts(httpserver: Any) -> list[dict[str, Any]]:
    """The chat.postMessage calls made, as dicts (slack_sdk posts JSON or a form)."""
    posts = []
    for request, _response in httpserver.log:
        if not request.path.endswith("chat.postMessage"):
            continue
        assert request.headers["Authorization"] == f"Bearer {SLACK_TOKEN}"
        if request.is_json:
            posts.append(json.loads(request.get_data()))
        else:
            posts.append(dict(request.form))
    return posts


POSTGRES = connection.vendor == "postgresql"


def in_threads(*targets) -> None:
    """Run each target in its own thread (own DB connection), all at once."""
    barrier = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def wrap(fn):
        def run():
            try:
                barrier.wait()
                fn()
            except BaseException as exc:  # surfaced below
                errors.append(exc)
            finally:
                connections.close_all()

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors


def run_jobs(limit: int = 200) -> int:
    """Run the queued jobs that are due, in-process (what `herodesk worker` does)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        job = DBTaskResult.objects.ready().first()
        if job is None:
            break
        job.claim("test-worker")
        worker.run_task(job)
        ran += 1
    return ran


def make_email_ticket(
    requester: Any,
    *,
    team: Any = None,
    subject: str = "Export fails",
    message_id: str = "<first.1@acme.example>",
    at: datetime | None = None,
) -> Any:
    """A ticket as the email intake opens it (threading data in metadata)."""
    from herodesk.tickets import actions

    return actions.ticket_create(
        subject=subject,
        body="Hi, the export fails with AccessDenied.",
        actor="email",
        channel="email",
        team=team,
        requester=requester,
        created_at=at,
        message_external_id=message_id,
        metadata={
            "email": {
                "message_id": message_id,
                "references": [message_id],
                "reply_to": requester.email,
                "subject": subject,
                "from": requester.email,
                "to": ["support@herodesk.localhost"],
                "cc": [],
            }
        },
    )
