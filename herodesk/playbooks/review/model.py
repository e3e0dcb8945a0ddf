"""What a review produces: findings, an optional diff summary, and a verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"  # the app cannot go on Cloud like this
    WARNING = "warning"  # the reviewer should look; the review still passes


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    code: str
    severity: Severity
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }


@dataclass(frozen=True)
class FileChange:
    path: str
    status: str  # "added", "removed" or "changed"
    lines_added: int
    lines_removed: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "lines_added": self.lines_added,
            "lines_removed": self.lines_removed,
        }


@dataclass(frozen=True)
class DiffSummary:
    files: tuple[FileChange, ...]

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files_added": self.count("added"),
            "files_removed": self.count("removed"),
            "files_changed": self.count("changed"),
            "lines_added": sum(f.lines_added for f in self.files),
            "lines_removed": sum(f.lines_removed for f in self.files),
            "files": [f.as_dict() for f in self.files],
        }


@dataclass(frozen=True)
class Review:
    findings: tuple[Finding, ...]
    files: int  # files in the archive
    sources: int  # JavaScript/TypeScript files parsed
    diff: DiffSummary | None = None
    stats: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def passed(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "passed": self.passed,
            "findings": [f.as_dict() for f in self.findings],
            "files": self.files,
            "sources": self.sources,
        }
        if self.diff is not None:
            out["diff"] = self.diff.as_dict()
        return out
