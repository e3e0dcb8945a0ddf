"""`herodesk serve` starts a real server: pages, static files, the API, the access log."""

from __future__ import annotations

import http.client
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError

from herodesk.web.management.commands.serve import access_log, parse_bind

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_bind_and_access_log_options_are_checked():
    assert parse_bind("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert parse_bind("[::1]:8080") == ("::1", 8080)
    for bad in ("8000", "localhost:", "host:http", "host:70000"):
        with pytest.raises(CommandError, match="--bind"):
            parse_bind(bad)
    assert access_log("off") == (False, None)
    on, config = access_log("/var/log/herodesk/access.log")
    assert on and config is not None
    assert config["handlers"]["access"]["filename"] == "/var/log/herodesk/access.log"


def test_serve_answers_pages_static_files_and_the_api(tmp_path):
    env = {
        **os.environ,
        "HERODESK_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "HERODESK_ACCESS_LOG": str(tmp_path / "access.log"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli = [sys.executable, "-m", "herodesk"]
    subprocess.run([*cli, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise AssertionError("herodesk serve did not start") from None
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/login/")
        page = conn.getresponse()
        assert page.status == 200 and b"<form" in page.read()
        # Same connection: kept alive.
        conn.request("GET", "/static/herodesk/app.css")
        css = conn.getresponse()
        assert css.status == 200 and len(css.read()) > 100
        conn.request("GET", "/api/v1/me")
        api = conn.getresponse()
        assert api.status == 401 and b"detail" in api.read()
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert server.returncode == 0, out.decode()[-2000:]
    assert '"GET /login/ HTTP/1.1" 200' in (tmp_path / "access.log").read_text()


def test_two_processes_of_one_thread_unless_asked_otherwise():
    """Two processes with one thread each, on either database (on SQLite one process
    with two threads served a third fewer creates on 2 cores, issue 17 §4)."""
    from herodesk.web.management.commands.serve import shape

    assert shape(None, None) == (2, 1)
    assert shape(3, None) == (3, 1)
    assert shape(None, 2) == (2, 2)
    assert shape(None, 4) == (2, 4)


def _served_with(monkeypatch, *args: str) -> dict:
    """What `herodesk serve` hands Granian (which is replaced: nothing listens)."""
    import granian
    from django.core.management import call_command

    seen: dict = {}

    class FakeGranian:
        def __init__(self, target: str, **kwargs: object) -> None:
            seen.update(kwargs)

        def serve(self) -> None:
            pass

    monkeypatch.setattr(granian, "Granian", FakeGranian)
    call_command("serve", "--bind", f"127.0.0.1:{_free_port()}", *args, stdout=io.StringIO())
    return seen


def test_serve_picks_processes_for_the_database_unless_told(monkeypatch):
    monkeypatch.delenv("HERODESK_WEB_WORKERS", raising=False)
    monkeypatch.delenv("HERODESK_WEB_THREADS", raising=False)
    expected = (2, 1)
    seen = _served_with(monkeypatch)
    assert (seen["workers"], seen["blocking_threads"]) == expected
    seen = _served_with(monkeypatch, "--workers", "3", "--threads", "1")
    assert (seen["workers"], seen["blocking_threads"]) == (3, 1)
    monkeypatch.setenv("HERODESK_WEB_WORKERS", "4")
    seen = _served_with(monkeypatch)
    assert (seen["workers"], seen["blocking_threads"]) == (4, expected[1])
    monkeypatch.setenv("HERODESK_WEB_WORKERS", "many")
    with pytest.raises(CommandError, match="HERODESK_WEB_WORKERS"):
        _served_with(monkeypatch)
    monkeypatch.setenv("HERODESK_WEB_WORKERS", "0")
    with pytest.raises(CommandError, match="--workers must be at least 1"):
        _served_with(monkeypatch)
