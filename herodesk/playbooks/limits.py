"""The app-review archive limits (pure), apart from the review engine so that
the upload form can read them without loading the engine (tree-sitter and the
archive readers load with the first review)."""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_archive_bytes: int = 20 * MiB  # the upload itself
    max_files: int = 2000
    max_file_bytes: int = 8 * MiB  # one entry, uncompressed
    max_total_bytes: int = 64 * MiB  # all entries, uncompressed
    max_ratio: int = 200  # uncompressed / compressed, for entries over 1 MiB
    max_path_length: int = 400
    max_depth: int = 32
