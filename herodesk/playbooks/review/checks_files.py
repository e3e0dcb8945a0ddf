"""Checks on the archive's files: `logo-missing`, `manifest-invalid`, `no-tests`."""

from __future__ import annotations

import json
import posixpath
import re

from .model import Finding, Severity

MANIFEST = "plugin.json"
LOGO = "logo.png"
_PNG = b"\x89PNG\r\n\x1a\n"
_TEST_NAME = re.compile(r"\.(test|spec)\.[cm]?[jt]sx?$")
_TEST_DIR = re.compile(r"(^|/)(test|tests)/.*\.[cm]?[jt]sx?$|(^|/)tests?\.[cm]?[jt]sx?$")


def check_logo(files: dict[str, bytes]) -> list[Finding]:
    body = files.get(LOGO)
    if body is None:
        return [_finding("logo-missing", LOGO, "no logo.png at the plugin root")]
    if not body.startswith(_PNG):
        return [_finding("logo-missing", LOGO, "logo.png is not a PNG image")]
    return []


def check_manifest(files: dict[str, bytes]) -> list[Finding]:
    raw = files.get(MANIFEST)
    if raw is None:
        return [_manifest(1, "no plugin.json at the plugin root")]
    try:
        text = raw.decode("utf-8-sig")
        manifest = json.loads(text)
    except UnicodeDecodeError:
        return [_manifest(1, "plugin.json is not UTF-8 text")]
    except json.JSONDecodeError as exc:
        return [_manifest(exc.lineno, f"plugin.json is not valid JSON: {exc.msg}")]
    if not isinstance(manifest, dict):
        return [_manifest(1, "plugin.json must hold a JSON object")]
    problems = []
    if not _text_field(manifest, "name"):
        problems.append(_manifest(_line_of(text, "name"), 'plugin.json has no "name"'))
    if not (_text_field(manifest, "url") or _text_field(manifest, "description")):
        problems.append(_manifest(1, 'plugin.json has neither "url" nor "description"'))
    problems += _check_main(manifest, files, text)
    return problems


def _check_main(manifest: dict[str, object], files: dict[str, bytes], text: str) -> list[Finding]:
    main = manifest.get("main")
    if not isinstance(main, str) or not main.strip():
        return [_manifest(1, 'plugin.json has no "main" file')]
    path = posixpath.normpath(main.strip())
    if path.startswith(("/", "../")) or path == "..":
        return [_manifest(_line_of(text, "main"), f'"main" points outside the plugin: {main}')]
    if path not in files:
        return [
            _manifest(_line_of(text, "main"), f'"main" names {main}, which is not in the archive')
        ]
    return []


def check_tests(files: dict[str, bytes]) -> list[Finding]:
    if any(is_test_file(p) for p in files):
        return []
    message = "no test files (*.test.*, *.spec.*, __tests__/, test/ or tests/)"
    return [Finding(".", 0, "no-tests", Severity.WARNING, message)]


def is_test_file(path: str) -> bool:
    if path.startswith("node_modules/") or "/node_modules/" in path:
        return False
    if "__tests__/" in f"/{path}" or _TEST_NAME.search(path):
        return True
    return bool(_TEST_DIR.search(path))  # test/*.ts, tests/*.js, test.ts


def _text_field(manifest: dict[str, object], key: str) -> bool:
    value = manifest.get(key)
    return isinstance(value, str) and bool(value.strip())


def _line_of(text: str, key: str) -> int:
    at = text.find(f'"{key}"')
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _manifest(line: int, message: str) -> Finding:
    return Finding(MANIFEST, line, "manifest-invalid", Severity.ERROR, message)


def _finding(code: str, path: str, message: str) -> Finding:
    return Finding(path, 0, code, Severity.ERROR, message)
