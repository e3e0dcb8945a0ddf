"""Reviewing a plugin archive: read it safely, parse its sources, run the checks."""

from __future__ import annotations

import time

from .archive import Archive, ArchiveError, Limits, read_archive, sniff
from .checks_errors import check_errors
from .checks_files import check_logo, check_manifest, check_tests, is_test_file
from .checks_requests import check_requests
from .diff import DiffError, compare, parse_unified
from .facts import FileFacts, file_facts, resolve_all
from .model import DiffSummary, Finding, Review, Severity
from .syntax import language_of, scan

_SKIPPED_DIRS = ("node_modules/", ".git/")


def review_archive(data: bytes, limits: Limits | None = None) -> Review:
    """Review a new app from its source archive (zip or tar.gz bytes)."""
    return review_files(read_archive(data, limits))


def review_update(new: bytes, previous: bytes, limits: Limits | None = None) -> Review:
    """Review an update: `previous` is the old archive or a unified diff.

    The checks run on the new version only; the diff summary compares the two.
    """
    archive = read_archive(new, limits)
    if sniff(previous) is not None:
        summary = compare(read_archive(previous, limits).files, archive.files)
    else:
        summary = _summary_from_diff(previous)
    review = review_files(archive)
    return Review(review.findings, review.files, review.sources, summary, review.stats)


def _summary_from_diff(previous: bytes) -> DiffSummary:
    try:
        return parse_unified(previous.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ArchiveError(
            "not-a-diff", "the previous version is neither an archive nor a diff"
        ) from exc
    except DiffError as exc:
        raise ArchiveError(
            "not-a-diff", f"the previous version is not a unified diff: {exc}"
        ) from exc


def review_files(archive: Archive) -> Review:
    started = time.perf_counter()
    files = archive.files
    findings: list[Finding] = [*check_logo(files), *check_manifest(files), *check_tests(files)]
    sources = sorted(p for p in files if is_source(p))
    paths = frozenset(sources)
    facts: dict[str, FileFacts] = {}
    for path in sources:
        grammar = language_of(path)
        assert grammar is not None
        parsed = scan(path, files[path], grammar)
        if parsed.root.has_error:
            findings.append(_syntax_finding(path, parsed.error_line()))
        facts[path] = file_facts(parsed, paths)
    parsed_at = time.perf_counter()
    reaching = resolve_all(facts)
    for path in sources:
        findings += check_requests(facts, facts[path], reaching)
    findings += check_errors(facts, reaching)
    done = time.perf_counter()
    stats = {"parse_s": parsed_at - started, "checks_s": done - parsed_at}
    return Review(tuple(sorted(set(findings))), len(files), len(sources), None, stats)


def is_source(path: str) -> bool:
    """JavaScript/TypeScript files the code checks read (not tests, not dependencies)."""
    if path.startswith(_SKIPPED_DIRS) or any(f"/{d}" in path for d in _SKIPPED_DIRS):
        return False
    return language_of(path) is not None and not is_test_file(path)


def _syntax_finding(path: str, where: int) -> Finding:
    message = "the file does not parse here; the other checks may miss problems in it"
    return Finding(path, where, "syntax-error", Severity.WARNING, message)
