"""GitHub's public webhook examples, fetched at test time with `npm pack`.

The npm package @octokit/webhooks-examples holds GitHub's documented payload
examples (machine-readable, kept up to date by Octokit). We never copy it into
the repository: the tarball is fetched once into a cache directory
($HERODESK_TEST_CACHE, default ~/.cache/herodesk-tests) and read from there.
Without npm or network the tests that need it are skipped with the reason,
except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

VERSION = "7.6.1"
PACKAGE = f"@octokit/webhooks-examples@{VERSION}"
INDEX = Path("package") / "api.github.com" / "index.json"


def cache_dir() -> Path:
    root = os.environ.get("HERODESK_TEST_CACHE") or Path.home() / ".cache" / "herodesk-tests"
    return Path(root) / f"octokit-webhooks-examples-{VERSION}"


def _fetch(target: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [npm, "pack", PACKAGE, "--pack-destination", tmp, "--silent"],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        tarballs = list(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            raise RuntimeError(f"npm pack {PACKAGE} failed: {done.stderr.strip()[-300:]}")
        staging = Path(tempfile.mkdtemp(dir=target.parent))
        with tarfile.open(tarballs[0]) as archive:
            archive.extractall(staging, filter="data")
        try:
            staging.replace(target)
        except OSError:
            # Another test process (pytest -n) unpacked it first: use theirs.
            shutil.rmtree(staging, ignore_errors=True)
            if not (target / INDEX).exists():
                raise


@lru_cache(maxsize=1)
def _index() -> list[dict[str, Any]] | str:
    target = cache_dir()
    if not (target / INDEX).exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            _fetch(target)
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            return str(exc)
    data: list[dict[str, Any]] = json.loads((target / INDEX).read_text("utf-8"))
    return data


def examples(event: str) -> list[dict[str, Any]]:
    """All documented example payloads of one event (skips the test when unavailable)."""
    index = _index()
    if isinstance(index, str):
        reason = f"GitHub webhook examples unavailable ({PACKAGE}): {index}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    for entry in index:
        if entry["name"] == event:
            return json.loads(json.dumps(entry["examples"]))  # fresh copies
    raise LookupError(f"{PACKAGE} has no examples for {event!r}")


def example(event: str, action: str | None = None, index: int = 0) -> dict[str, Any]:
    """One example payload (a fresh copy: tests may change it)."""
    found = [e for e in examples(event) if action is None or e.get("action") == action]
    return found[index]
