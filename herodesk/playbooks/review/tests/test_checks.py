"""The checks on a plugin's files and sources: one clean plugin, then one problem at a time."""

from __future__ import annotations

import pytest

from herodesk.playbooks.review import review_archive, review_files
from herodesk.playbooks.review.archive import Archive

from .build import clean_plugin, png, tar_gz_bytes, zip_bytes


def review(changes: dict[str, bytes | None]):
    files = clean_plugin()
    for path, body in changes.items():
        if body is None:
            files.pop(path, None)
        else:
            files[path] = body
    return review_files(Archive(files=files, kind="zip", prefix=""))


def found(result, code: str) -> list[tuple[str, int, str]]:
    return [(f.file, f.line, f.message) for f in result.findings if f.code == code]


@pytest.mark.parametrize("build", [zip_bytes, tar_gz_bytes])
def test_the_clean_plugin_passes_with_no_findings(build):
    result = review_archive(build(clean_plugin(), prefix="hello-export-1.0/"))
    assert result.findings == ()
    assert result.passed
    assert (result.files, result.sources) == (6, 2)


def test_logo_missing_or_not_a_png():
    assert found(review({"logo.png": None}), "logo-missing") == [
        ("logo.png", 0, "no logo.png at the plugin root")
    ]
    assert (
        found(review({"logo.png": b"GIF89a"}), "logo-missing")[0][2]
        == "logo.png is not a PNG image"
    )
    # a logo somewhere else does not count
    nested = review({"logo.png": None, "assets/logo.png": png()})
    assert not nested.passed


@pytest.mark.parametrize(
    ("manifest", "line", "message"),
    [
        (None, 1, "no plugin.json at the plugin root"),
        (
            b'{\n  "name": "x",\n  "main": index.ts\n}',
            3,
            "plugin.json is not valid JSON: Expecting value",
        ),
        (b"[1, 2]", 1, "plugin.json must hold a JSON object"),
        (b'{"url": "https://x", "main": "index.ts"}', 1, 'plugin.json has no "name"'),
        (
            b'{"name": "x", "main": "index.ts"}',
            1,
            'plugin.json has neither "url" nor "description"',
        ),
        (b'{"name": "x", "description": "d"}', 1, 'plugin.json has no "main" file'),
        (
            b'{"name": "x", "url": "u",\n "main": "dist/index.js"}',
            2,
            '"main" names dist/index.js, which is not in the archive',
        ),
        (
            b'{"name": "x", "url": "u", "main": "../../etc/passwd"}',
            1,
            '"main" points outside the plugin: ../../etc/passwd',
        ),
        (b"\xff\xfe{}", 1, "plugin.json is not UTF-8 text"),
    ],
)
def test_manifest_invalid(manifest, line, message):
    result = review({"plugin.json": manifest})
    assert found(result, "manifest-invalid") == [("plugin.json", line, message)]
    assert not result.passed


def test_main_may_be_written_with_a_dot_slash():
    result = review({"plugin.json": b'{"name": "x", "url": "u", "main": "./index.ts"}'})
    assert found(result, "manifest-invalid") == []


def test_no_tests_is_a_warning_and_test_files_are_recognised():
    result = review({"__tests__/rows.test.ts": None})
    assert [(f.code, f.severity) for f in result.findings] == [("no-tests", "warning")]
    assert result.passed
    assert found(review({"__tests__/rows.test.ts": None, "src/a.spec.js": b"1"}), "no-tests") == []
    assert found(review({"__tests__/rows.test.ts": None, "index.test.ts": b"1"}), "no-tests") == []
    for name in ("test/test.ts", "tests/export.js", "src/test/api.ts", "test.js"):
        assert found(review({"__tests__/rows.test.ts": None, name: b"1"}), "no-tests") == []
    data_only = review({"__tests__/rows.test.ts": None, "test/data/event.json": b"{}"})
    assert found(data_only, "no-tests") != []
    only_deps = review({"__tests__/rows.test.ts": None, "node_modules/x/a.test.js": b"1"})
    assert found(only_deps, "no-tests") != []


def test_syntax_errors_are_reported_with_their_line():
    result = review({"rows.ts": b"export function toRow(\n  {{{ nope\n"})
    assert [(f.file, f.code) for f in result.findings] == [("rows.ts", "syntax-error")]


def test_typescript_tsx_and_javascript_flavours_parse():
    sources = {
        "a.tsx": b"export const A = (p: {n: number}) => <div>{p.n}</div>\n",
        "b.jsx": b"export const B = () => <span/>\n",
        "c.mjs": b"export default 1\n",
        "d.cjs": b"module.exports = {}\n",
        "types.d.ts": b"declare const x: number\n",
    }
    result = review(sources)
    assert result.findings == ()
    assert result.sources == 6  # index.ts, rows.ts and four of the five (.d.ts is skipped)
