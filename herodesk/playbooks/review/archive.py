"""Reading an untrusted plugin archive (zip or tar.gz) into memory, safely.

Nothing is extracted to disk and nothing is executed. Every entry is checked
before its bytes are read: its path must stay inside the archive (no `..`, no
absolute or drive paths, no backslash tricks), it must be a regular file (no
symlinks, hard links or devices), and the counts and sizes stay under `Limits`.
Sizes are never trusted from headers alone: bytes are read with a cap, so a
zip bomb stops at the limit instead of filling memory.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import IO

from herodesk.playbooks.limits import Limits, MiB

_SYMLINK = 0o120000
_FILE_TYPE = 0o170000
_JUNK_DIRS = ("__MACOSX/",)


class ArchiveError(Exception):
    """An archive we refuse to read; `reason` is a stable code, `message` says why."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Archive:
    """The regular files of an archive: normalized path → bytes, plugin root first-level."""

    files: dict[str, bytes]
    kind: str  # "zip" or "tar.gz"
    prefix: str  # the single top-level folder that was stripped ("" when none)


def read_archive(data: bytes, limits: Limits | None = None) -> Archive:
    """Read a zip or tar.gz held in memory; raise ArchiveError with the reason."""
    limits = limits or Limits()
    if not data:
        raise ArchiveError("empty", "the archive is empty")
    if len(data) > limits.max_archive_bytes:
        raise ArchiveError(
            "too-large", f"the archive is larger than {limits.max_archive_bytes // MiB} MiB"
        )
    kind = sniff(data)
    if kind == "zip":
        entries = _zip_entries(data, limits)
    elif kind == "tar.gz":
        entries = _tar_entries(data, limits)
    else:
        raise ArchiveError("not-an-archive", "expected a zip or tar.gz archive")
    files: dict[str, bytes] = {}
    total = 0
    for path, body in entries:
        if path in files:
            raise ArchiveError("duplicate-path", f"{path} appears twice in the archive")
        total += len(body)
        if total > limits.max_total_bytes:
            raise ArchiveError(
                "expands-too-much",
                f"the files add up to more than {limits.max_total_bytes // MiB} MiB",
            )
        files[path] = body
    if not files:
        raise ArchiveError("empty", "the archive holds no files")
    prefix = _common_folder(files)
    if prefix:
        files = {p[len(prefix) :]: b for p, b in files.items()}
    return Archive(files=files, kind=kind, prefix=prefix)


def sniff(data: bytes) -> str | None:
    """ "zip", "tar.gz" or None, from the first bytes (never from the file name)."""
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if data[:2] == b"\x1f\x8b":
        return "tar.gz"
    return None


def safe_path(name: str, limits: Limits) -> str | None:
    """The normalized relative path of an entry; None for folders and packaging junk."""
    if "\x00" in name or len(name) > limits.max_path_length:
        raise ArchiveError("unsafe-path", f"refusing an entry with a malformed name: {name!r:.80}")
    unified = name.replace("\\", "/")
    if unified.startswith("/") or (len(unified) > 1 and unified[1] == ":"):
        raise ArchiveError("absolute-path", f"refusing an absolute path: {name}")
    parts = [p for p in unified.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ArchiveError("unsafe-path", f"refusing a path that leaves the archive: {name}")
    if len(parts) > limits.max_depth:
        raise ArchiveError("unsafe-path", f"refusing a path nested too deep: {name:.80}")
    if not parts or unified.endswith("/"):
        return None
    path = "/".join(parts)
    if any(path.startswith(junk) for junk in _JUNK_DIRS):
        return None
    return path


def _zip_entries(data: bytes, limits: Limits) -> Iterator[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ArchiveError("corrupt", f"the zip archive cannot be read: {exc}") from exc
    _check_count(len(infos), limits)
    return _zip_bodies(archive, infos, limits)


def _zip_bodies(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits
) -> Iterator[tuple[str, bytes]]:
    for info in infos:
        mode = info.external_attr >> 16
        if info.create_system == 3 and mode & _FILE_TYPE == _SYMLINK:
            raise ArchiveError("symlink", f"refusing a symbolic link: {info.filename}")
        path = safe_path(info.filename, limits)
        if path is None:
            continue
        if info.flag_bits & 0x1:
            raise ArchiveError("encrypted", f"refusing an encrypted entry: {path}")
        _check_size(path, info.file_size, limits)
        if info.file_size > MiB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ArchiveError("expands-too-much", f"{path} expands more than a zip bomb would")
        yield path, _read_capped(partial(archive.open, info), path, limits)


def _tar_entries(data: bytes, limits: Limits) -> Iterator[tuple[str, bytes]]:
    stream_cap = limits.max_total_bytes + limits.max_files * 1024 + MiB
    stream = _Capped(gzip.GzipFile(fileobj=io.BytesIO(data)), stream_cap)
    try:
        archive = tarfile.open(fileobj=stream, mode="r|")  # noqa: SIM115 (closed by the generator)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise ArchiveError("corrupt", f"the tar.gz archive cannot be read: {exc}") from exc
    return _tar_bodies(archive, limits)


def _tar_bodies(archive: tarfile.TarFile, limits: Limits) -> Iterator[tuple[str, bytes]]:
    count = 0
    try:
        for member in archive:
            count += 1
            _check_count(count, limits)
            if member.issym() or member.islnk():
                raise ArchiveError("symlink", f"refusing a link: {member.name}")
            path = safe_path(member.name, limits)
            if member.isdir():
                continue
            if not member.isreg():
                raise ArchiveError("special-file", f"refusing a special file: {member.name}")
            if path is None:
                continue
            _check_size(path, member.size, limits)
            yield path, _read_capped(partial(archive.extractfile, member), path, limits)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise ArchiveError("corrupt", f"the tar.gz archive cannot be read: {exc}") from exc
    finally:
        archive.close()


def _read_capped(opener: Callable[[], IO[bytes] | None], path: str, limits: Limits) -> bytes:
    handle = opener()
    if handle is None:
        return b""
    with handle:
        try:
            body: bytes = handle.read(limits.max_file_bytes + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise ArchiveError("corrupt", f"{path} cannot be read: {exc}") from exc
    _check_size(path, len(body), limits)
    return body


def _check_count(count: int, limits: Limits) -> None:
    if count > limits.max_files:
        raise ArchiveError(
            "too-many-files", f"the archive holds more than {limits.max_files} entries"
        )


def _check_size(path: str, size: int, limits: Limits) -> None:
    if size > limits.max_file_bytes:
        raise ArchiveError(
            "file-too-large", f"{path} is larger than {limits.max_file_bytes // MiB} MiB"
        )


def _common_folder(files: dict[str, bytes]) -> str:
    """`name/` when every file sits under one top-level folder (GitHub's archives do)."""
    firsts = {p.split("/", 1)[0] for p in files}
    if len(firsts) != 1 or any("/" not in p for p in files):
        return ""
    return firsts.pop() + "/"


class _Capped(io.RawIOBase):
    """A read-only stream that stops with ArchiveError after `cap` bytes."""

    def __init__(self, inner: gzip.GzipFile, cap: int) -> None:
        self._inner = inner
        self._cap = cap
        self._seen = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        want = self._cap + 1 - self._seen if size < 0 else min(size, self._cap + 1 - self._seen)
        chunk = self._inner.read(max(want, 0))
        self._seen += len(chunk)
        if self._seen > self._cap:
            raise ArchiveError("expands-too-much", "the archive expands to more than its limit")
        return chunk
