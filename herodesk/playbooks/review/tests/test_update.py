"""The update review: a diff summary against the old version, checks on the new one."""

from __future__ import annotations

import pytest

from herodesk.playbooks.review import ArchiveError, review_update
from herodesk.playbooks.review.diff import DiffError, parse_unified

from .build import clean_plugin, tar_gz_bytes, zip_bytes

NEW_INDEX = clean_plugin()["index.ts"].replace(
    b"const MAX_PAGES = 5\n", b"const MAX_PAGES = 10\nconst TIMEOUT_MS = 5000\n"
)


def versions() -> tuple[dict[str, bytes], dict[str, bytes]]:
    old = clean_plugin()
    old.pop("logo.png")  # the old version had a problem; only the new one is checked
    old["CHANGELOG.md"] = b"# 1.0\n"
    new = clean_plugin()
    new["index.ts"] = NEW_INDEX
    new["lib/extra.ts"] = b"export const a = 1\nexport const b = 2\n"
    return old, new


def test_two_archives_give_a_diff_summary_and_checks_on_the_new_version():
    old, new = versions()
    result = review_update(zip_bytes(new, prefix="v2/"), tar_gz_bytes(old, prefix="v1/"))
    assert result.passed and result.findings == ()
    summary = result.as_dict()["diff"]
    assert {k: v for k, v in summary.items() if k != "files"} == {
        "files_added": 2,  # logo.png came back, lib/extra.ts is new
        "files_removed": 1,
        "files_changed": 1,
        "lines_added": 2 + 2,  # two in index.ts, two in lib/extra.ts (logo.png is binary)
        "lines_removed": 1 + 1,  # one in index.ts, CHANGELOG.md's one line
    }
    assert summary["files"][:2] == [
        {"path": "CHANGELOG.md", "status": "removed", "lines_added": 0, "lines_removed": 1},
        {"path": "index.ts", "status": "changed", "lines_added": 2, "lines_removed": 1},
    ]


def test_a_new_version_with_problems_fails_even_if_the_diff_is_small():
    old, new = versions()
    new["index.ts"] = NEW_INDEX + b"setInterval(() => fetch('https://victim'), 1)\n"
    result = review_update(zip_bytes(new), zip_bytes(old))
    assert not result.passed
    assert [f.code for f in result.findings] == ["unbounded-requests"]


GIT_DIFF = """diff --git a/index.ts b/index.ts
index 1111111..2222222 100644
--- a/index.ts
+++ b/index.ts
@@ -3,3 +3,4 @@ import { toRow } from './rows'
\x20
-const MAX_PAGES = 5
+const MAX_PAGES = 10
+const TIMEOUT_MS = 5000
\x20
diff --git a/lib/extra.ts b/lib/extra.ts
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/lib/extra.ts
@@ -0,0 +1,2 @@
+export const a = 1
+export const b = 2
diff --git a/old.js b/old.js
deleted file mode 100644
--- a/old.js
+++ /dev/null
@@ -1 +0,0 @@
--- a comment that starts with dashes
"""


def test_a_unified_diff_as_the_previous_version():
    _old, new = versions()
    result = review_update(zip_bytes(new), GIT_DIFF.encode())
    summary = result.as_dict()["diff"]
    assert summary["files"] == [
        {"path": "index.ts", "status": "changed", "lines_added": 2, "lines_removed": 1},
        {"path": "lib/extra.ts", "status": "added", "lines_added": 2, "lines_removed": 0},
        {"path": "old.js", "status": "removed", "lines_added": 0, "lines_removed": 1},
    ]


def test_a_plain_diff_u_without_git_headers():
    plain = "--- a.js\t2024-01-01\n+++ a.js\t2024-01-02\n@@ -1,2 +1,2 @@\n-x\n+y\n z\n"
    assert parse_unified(plain).as_dict()["files"] == [
        {"path": "a.js", "status": "changed", "lines_added": 1, "lines_removed": 1}
    ]


@pytest.mark.parametrize("previous", [b"hello, not a diff", b"\xff\xfe\x00binary"])
def test_a_previous_version_that_is_neither_archive_nor_diff_is_refused(previous):
    _old, new = versions()
    with pytest.raises(ArchiveError) as caught:
        review_update(zip_bytes(new), previous)
    assert caught.value.reason == "not-a-diff"


def test_hunks_before_headers_are_refused():
    with pytest.raises(DiffError):
        parse_unified("@@ -1 +1 @@\n-a\n+b\n")


def test_a_bad_previous_archive_is_refused_like_a_new_one():
    _old, new = versions()
    with pytest.raises(ArchiveError) as caught:
        review_update(zip_bytes(new), zip_bytes({"../x.js": b"1"}))
    assert caught.value.reason == "unsafe-path"
