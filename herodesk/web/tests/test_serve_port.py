"""`herodesk serve` refuses an address something already listens on (Granian
binds with SO_REUSEPORT, so without the check a second server would share the
port), and one Ctrl+C stops `make run`'s server and worker within seconds."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from herodesk.lib.ports import PortBusy, check_free

ROOT = Path(__file__).resolve().parents[3]


def listener(reuseport: bool) -> socket.socket:
    sock = socket.socket()
    if reuseport:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


@pytest.mark.parametrize("reuseport", [True, False])
def test_a_served_port_is_refused_naming_the_address_and_the_way_out(reuseport):
    with listener(reuseport) as busy:
        port = busy.getsockname()[1]
        with pytest.raises(PortBusy) as refused:
            check_free("127.0.0.1", port)
        message = str(refused.value)
        assert f"127.0.0.1:{port} is already in use" in message
        assert "--bind" in message and "HERODESK_BIND" in message
    check_free("127.0.0.1", port)  # free again once closed


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "HERODESK_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "HERODESK_ACCESS_LOG": "off",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def test_a_second_make_run_on_the_same_port_exits_non_zero_with_a_clear_error(tmp_path):
    with listener(reuseport=True) as busy:
        port = busy.getsockname()[1]
        done = subprocess.run(
            ["bash", str(ROOT / "scripts" / "run.sh")],
            cwd=ROOT,
            env={
                **_env(tmp_path),
                "HERODESK_BIND": f"127.0.0.1:{port}",
                "HERODESK_CLI": f"{sys.executable} -m herodesk",
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0
    assert f"127.0.0.1:{port} is already in use" in done.stderr
    assert "HERODESK_BIND" in done.stderr and "Traceback" not in done.stderr


def _wait_for(port: int, proc: subprocess.Popen[bytes], seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError("the server did not start") from None
            time.sleep(0.1)


def test_one_ctrl_c_stops_server_and_worker_within_five_seconds(tmp_path):
    env = _env(tmp_path)
    cli = f"{sys.executable} -m herodesk"
    subprocess.run([*cli.split(), "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    script = (ROOT / "scripts" / "run.sh").read_text()
    assert "serve" in script and "worker" in script
    proc = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "run.sh")],
        cwd=ROOT,
        env={**env, "HERODESK_BIND": f"127.0.0.1:{port}", "HERODESK_CLI": cli},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        _wait_for(port, proc)
        time.sleep(1.0)  # the worker is up too
        started = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)  # what one Ctrl+C sends
        proc.wait(timeout=30)
        took = time.monotonic() - started
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    out = proc.stdout.read().decode() if proc.stdout else ""
    assert took < 5, f"took {took:.1f} s\n{out[-2000:]}"
    assert proc.returncode == 0, out[-2000:]
    assert "refused to gracefully stop" not in out
