"""Is an address free to serve on? Checked by `herodesk serve` before it starts.

Granian binds with SO_REUSEPORT, so a second server on the same port would
"listen" too and the kernel would split connections between the two (each
with its own database, perhaps). A plain bind without SO_REUSEPORT fails
while anything listens there, which is the check made here.
"""

from __future__ import annotations

import errno
import socket


class PortBusy(Exception):
    """The address cannot be served on; the message says what to do."""


def check_free(host: str, port: int) -> None:
    """Raise PortBusy (naming the address and the way out) unless host:port is free."""
    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is fine
            probe.bind((host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortBusy(
                f"{shown} is already in use (another `herodesk serve`, or another program, "
                f"listens there). Stop it, or serve on another address with "
                f"--bind HOST:PORT or HERODESK_BIND=HOST:PORT."
            ) from None
        if exc.errno == errno.EACCES:
            raise PortBusy(
                f"not allowed to listen on {shown} (ports below 1024 need privileges); "
                f"use --bind HOST:PORT or HERODESK_BIND=HOST:PORT with a higher port."
            ) from None
        raise PortBusy(f"cannot listen on {shown}: {exc.strerror or exc}") from None
