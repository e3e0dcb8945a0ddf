"""A small load generator: asyncio, keep-alive HTTP/1.1, requests pre-encoded.

The benchmarks run the client on the same 2 cores as the server, so the
client must be cheap: a thread per connection with `http.client` spent about
a third of the machine on itself. Here one event loop drives every
connection, each request is built (and signed) before the clock starts, and a
response is parsed only as far as its status line and `Content-Length`.
A connection the server closes (`Connection: close`) is reopened and counts
towards the request's latency, as it would for a real client.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field


def raw_request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    """One HTTP/1.1 request as bytes, ready to write to a socket."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class LoadResult:
    wall: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    bodies: dict[int, bytes] = field(default_factory=dict)  # first body seen per status

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, close = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            close = True
    body = await reader.readexactly(length) if length else b""
    return status, body, close


async def _run(port: int, requests: list[bytes], concurrency: int, result: LoadResult) -> None:
    queue = iter(requests)

    async def connection() -> None:
        reader = writer = None
        for request in queue:
            start = time.perf_counter()
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            assert reader is not None
            writer.write(request)
            status, body, close = await _read_response(reader)
            result.latencies.append(time.perf_counter() - start)
            result.statuses.append(status)
            result.bodies.setdefault(status, body)
            if close:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    result.wall = time.perf_counter() - start


def run(port: int, requests: list[bytes], concurrency: int = 8) -> LoadResult:
    """Send every request over `concurrency` keep-alive connections; time each."""
    result = LoadResult()
    asyncio.run(_run(port, requests, concurrency, result))
    return result
