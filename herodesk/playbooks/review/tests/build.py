"""Plugin archives built in memory for the tests (and the benchmark)."""

from __future__ import annotations

import io
import struct
import tarfile
import time
import zipfile
import zlib


def png(width: int = 1, height: int = 1) -> bytes:
    """A real, tiny PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x80\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


MANIFEST = b"""{
  "name": "Hello Export",
  "url": "https://github.com/acme/posthog-hello-export",
  "description": "Sends events to Hello in batches.",
  "main": "index.ts",
  "config": [{"key": "apiKey", "name": "API key", "type": "string", "required": true}]
}
"""

INDEX = b"""import { RetryError } from '@posthog/plugin-scaffold'
import type { Meta, PluginEvent } from '@posthog/plugin-scaffold'
import { toRow } from './rows'

const MAX_PAGES = 5

export async function setupPlugin({ config }: Meta) {
    if (!config.apiKey) {
        throw new Error('Please set an API key')
    }
}

export async function exportEvents(events: PluginEvent[], { config }: Meta) {
    const rows = events.map((event) => toRow(event))
    const response = await fetch(`${config.host}/batch`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${config.apiKey}` },
        body: JSON.stringify(rows),
    })
    if (!response.ok) {
        throw new RetryError(`Hello answered ${response.status}`)
    }
}

export async function runEveryDay({ config, storage }: Meta) {
    for (let page = 0; page < MAX_PAGES; page++) {
        const res = await posthog.api.get(`/api/projects/@current/cohorts?page=${page}`)
        const body = await res.json()
        await storage.set(`cohorts-${page}`, body.results.length)
    }
    for (const kind of ['daily', 'weekly']) {
        await fetch(`${config.host}/rollup/${kind}`, { method: 'POST' })
    }
}
"""

ROWS = b"""export interface Row {
    name: string
    at: string | undefined
}

export function toRow(event: { event: string; timestamp?: string }): Row {
    return { name: event.event, at: event.timestamp }
}
"""

TEST = b"""import { toRow } from '../rows'

test('an event becomes a row', () => {
    const row = toRow({ event: '$pageview', timestamp: 'now' })
    expect(row).toEqual({ name: '$pageview', at: 'now' })
})
"""


def clean_plugin() -> dict[str, bytes]:
    """A plugin that passes every check."""
    return {
        "plugin.json": MANIFEST,
        "logo.png": png(),
        "index.ts": INDEX,
        "rows.ts": ROWS,
        "__tests__/rows.test.ts": TEST,
        "README.md": b"# Hello Export\n",
    }


def zip_bytes(
    files: dict[str, bytes], prefix: str = "", symlinks: dict[str, str] | None = None
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, body in files.items():
            archive.writestr(prefix + path, body)
        for path, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(prefix + path)
            info.create_system = 3
            info.external_attr = 0o120777 << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def tar_gz_bytes(
    files: dict[str, bytes], prefix: str = "", extra: list[tarfile.TarInfo] | None = None
) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path, body in files.items():
            info = tarfile.TarInfo(prefix + path)
            info.size = len(body)
            info.mtime = int(time.time())
            archive.addfile(info, io.BytesIO(body))
        for info in extra or []:
            archive.addfile(info)
    return buffer.getvalue()


def link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info
