"""Read a TOML setup file: values from `tomllib`, line numbers from tree-sitter.

Why two parsers: `tomllib` (the standard library's TOML 1.0 parser) is the
authority on what the file *means* and on syntax errors (its messages carry
line and column). It keeps no positions, though, and an error such as "unknown
time zone" must still name the line of `time_zone` in the third `[[team]]`.
tree-sitter's TOML grammar gives the exact position of every key — inside
inline tables, arrays of tables, dotted keys and after multi-line strings
(a macro body may well contain a line that looks like `slug = "x"`), which a
line-by-line scanner would get wrong. tomlkit keeps the text but exposes no
line numbers either.

Paths are tuples of keys and array indices: ("team", 2, "rotation", "start").
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import tree_sitter
import tree_sitter_toml

Path = tuple[str | int, ...]

_LANGUAGE = tree_sitter.Language(tree_sitter_toml.language())
_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")


class SyntaxProblem(ValueError):
    """The file is not valid TOML; `line` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message, self.line = message, line


@dataclass
class Source:
    """A parsed file: its values and where each key was written."""

    name: str
    data: dict[str, Any]
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int:
        """The line of `path`, or of its nearest written ancestor (1 if none)."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1


def load(text: str, name: str) -> Source:
    """Parse `text` (the file called `name`); SyntaxProblem if it is not TOML."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _AT_LINE.search(message)
        line = int(found.group(1)) if found else text.count("\n") + 1  # "at end of document"
        raise SyntaxProblem(_AT_LINE.sub("", message).strip(), line) from None
    return Source(name, data, key_lines(text.encode()))


def _key_parts(node: tree_sitter.Node) -> list[str]:
    """The parts of a bare, quoted or dotted key."""
    if node.type == "dotted_key":
        return [p for child in node.named_children for p in _key_parts(child)]
    text = (node.text or b"").decode()
    if node.type == "quoted_key":
        return [json.loads(text) if text.startswith('"') else text[1:-1]]
    return [text]


class _Walker:
    def __init__(self) -> None:
        self.lines: dict[Path, int] = {}
        # Resolved path of each array of tables → index of its latest element.
        self.last_index: dict[Path, int] = {}

    def resolve(self, parts: list[str]) -> Path:
        """A header's key parts as a path through the latest array elements."""
        path: Path = ()
        for part in parts:
            path = (*path, part)
            if path in self.last_index:
                path = (*path, self.last_index[path])
        return path

    def mark(self, path: Path, node: tree_sitter.Node) -> None:
        self.lines.setdefault(path, node.start_point[0] + 1)

    def value(self, path: Path, node: tree_sitter.Node) -> None:
        if node.type == "inline_table":
            for pair in _pairs(node):
                self.pair(path, pair)
        elif node.type == "array":
            for i, item in enumerate(c for c in node.named_children if c.type != "comment"):
                self.mark((*path, i), item)
                self.value((*path, i), item)

    def pair(self, base: Path, node: tree_sitter.Node) -> None:
        key, value = node.named_children[0], node.named_children[-1]
        path = base
        for part in _key_parts(key):
            path = (*path, part)
            self.mark(path, node)
        self.value(path, value)

    def table(self, node: tree_sitter.Node, is_array: bool) -> None:
        header = node.named_children[0]
        parts = _key_parts(header)
        if is_array:
            parent = self.resolve(parts[:-1])
            array_path: Path = (*parent, parts[-1])
            index = self.last_index.get(array_path, -1) + 1
            self.last_index[array_path] = index
            self.mark(array_path, node)
            path: Path = (*array_path, index)
        else:
            path = self.resolve(parts)
        self.mark(path, node)
        for pair in _pairs(node):
            self.pair(path, pair)


def _pairs(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    return (c for c in node.named_children if c.type == "pair")


def key_lines(source: bytes) -> dict[Path, int]:
    """Where each key path is written (1-based lines); call only on valid TOML."""
    tree = tree_sitter.Parser(_LANGUAGE).parse(source)
    walker = _Walker()
    for node in tree.root_node.named_children:
        if node.type == "pair":
            walker.pair((), node)
        elif node.type in ("table", "table_array_element"):
            walker.table(node, node.type == "table_array_element")
    return walker.lines
