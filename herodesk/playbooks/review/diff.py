"""Diff summaries for an app update: from two archives, or from a unified diff."""

from __future__ import annotations

import difflib
import re

from .model import DiffSummary, FileChange

_HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")
_GIT_HEADER = re.compile(r"^diff --git a/(.*) b/(.*)$")


class DiffError(ValueError):
    """Text that is not a unified diff."""


def compare(old: dict[str, bytes], new: dict[str, bytes]) -> DiffSummary:
    changes = []
    for path in sorted(old.keys() | new.keys()):
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        if before is None:
            changes.append(FileChange(path, "added", _count_lines(after), 0))
        elif after is None:
            changes.append(FileChange(path, "removed", 0, _count_lines(before)))
        else:
            added, removed = _line_delta(before, after)
            changes.append(FileChange(path, "changed", added, removed))
    return DiffSummary(tuple(changes))


def _lines(body: bytes | None) -> list[str] | None:
    if body is None or b"\x00" in body[:8192]:
        return None  # binary: counted as a changed file, without lines
    return body.decode("utf-8", "replace").splitlines()


def _count_lines(body: bytes | None) -> int:
    lines = _lines(body)
    return len(lines) if lines is not None else 0


def _line_delta(before: bytes, after: bytes) -> tuple[int, int]:
    old, new = _lines(before), _lines(after)
    if old is None or new is None:
        return 0, 0
    added = removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, old, new, autojunk=False
    ).get_opcodes():
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
    return added, removed


def parse_unified(diff: str) -> DiffSummary:
    """Summarise a `git diff` / `diff -u` text; raise DiffError when it is not one."""
    files: dict[str, FileChange] = {}
    path: str | None = None
    old_path: str | None = None
    old_left = new_left = 0  # lines still to come in the current hunk
    for raw in diff.splitlines():
        if old_left > 0 or new_left > 0:
            assert path is not None
            kind = raw[:1]
            old_left -= kind in (" ", "-", "")
            new_left -= kind in (" ", "+", "")
            if kind in ("+", "-"):
                files[path] = _bump(files[path], kind)
            continue
        header = _GIT_HEADER.match(raw)
        hunk = _HUNK.match(raw)
        if header:
            path = header.group(2)
            files.setdefault(path, FileChange(path, "changed", 0, 0))
        elif raw.startswith("--- "):
            old_path = _strip(raw[4:])
        elif raw.startswith("+++ "):
            path = _file_header(files, old_path, _strip(raw[4:]))
        elif hunk:
            if path is None:
                raise DiffError("a hunk comes before any file header")
            old_left, new_left = int(hunk.group(1) or 1), int(hunk.group(2) or 1)
        elif raw.startswith(("new file mode", "deleted file mode")) and path is not None:
            status = "added" if raw.startswith("new") else "removed"
            files[path] = FileChange(
                path, status, files[path].lines_added, files[path].lines_removed
            )
    if not files:
        raise DiffError("no file headers (expected `diff --git` or `---`/`+++` lines)")
    return DiffSummary(tuple(files[p] for p in sorted(files)))


def _file_header(files: dict[str, FileChange], old: str | None, new: str | None) -> str:
    path = new if new is not None else old
    if path is None:
        raise DiffError("a file header names /dev/null on both sides")
    status = "added" if old is None else "removed" if new is None else "changed"
    files[path] = FileChange(path, status, 0, 0)
    return path


def _bump(change: FileChange, kind: str) -> FileChange:
    added = change.lines_added + (kind == "+")
    removed = change.lines_removed + (kind == "-")
    return FileChange(change.path, change.status, added, removed)


def _strip(name: str) -> str | None:
    name = name.split("\t", 1)[0].strip()
    if name == "/dev/null":
        return None
    return name[2:] if name.startswith(("a/", "b/")) else name
