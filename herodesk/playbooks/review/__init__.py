"""The app-review engine: safe archive reading and checks on a plugin's sources.

No Django here: the `playbooks` app stores what this returns. Entry points:
`review_archive(bytes)` for a new app, `review_update(new, previous)` for an
update (previous = the old archive or a unified diff). Both raise
`ArchiveError` (with `.reason` and `.message`) for an archive we refuse.
"""

from .archive import ArchiveError, Limits, read_archive
from .engine import review_archive, review_files, review_update
from .model import DiffSummary, FileChange, Finding, Review, Severity

__all__ = [
    "ArchiveError",
    "DiffSummary",
    "FileChange",
    "Finding",
    "Limits",
    "Review",
    "Severity",
    "read_archive",
    "review_archive",
    "review_files",
    "review_update",
]
