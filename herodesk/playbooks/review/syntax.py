"""Parsing JavaScript and TypeScript with tree-sitter, and one pass over the tree.

`scan()` walks a file's syntax tree once (with a cursor, which is as fast as a
tree-sitter query and lets one pass collect every kind of node the checks need)
and sorts the interesting nodes into lists. The checks then look only at those
lists and at the few ancestors of what they found.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field

import tree_sitter
import tree_sitter_javascript
import tree_sitter_typescript

Node = tree_sitter.Node

_EXTENSIONS = {
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
}

# node type → list name in Scan
_CATEGORIES = {
    "call_expression": "calls",
    "new_expression": "news",
    "while_statement": "loops",
    "do_statement": "loops",
    "for_statement": "loops",
    "for_in_statement": "loops",
    "throw_statement": "throws",
    "function_declaration": "functions",
    "generator_function_declaration": "functions",
    "function_expression": "functions",
    "function": "functions",
    "generator_function": "functions",
    "arrow_function": "functions",
    "method_definition": "functions",
    "variable_declarator": "declarators",
    "assignment_expression": "assignments",
    "augmented_assignment_expression": "assignments",
    "update_expression": "updates",
    "import_statement": "imports",
    "export_statement": "exports",
    "ERROR": "errors",
}
# Subtrees no check looks into (types, comments, plain strings): the walk skips them.
_SKIPPED = frozenset(
    {
        "comment",
        "string",
        "regex",
        "type_annotation",
        "type_arguments",
        "type_parameters",
        "interface_declaration",
        "type_alias_declaration",
        "enum_declaration",
        "ambient_declaration",
        "opting_type_annotation",
        "omitting_type_annotation",
        "asserts_annotation",
        "implements_clause",
    }
)
_IDENTIFIERS = frozenset(
    {"identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern"}
)
LOOP_TYPES = frozenset(k for k, v in _CATEGORIES.items() if v == "loops")
FUNCTION_TYPES = frozenset(k for k, v in _CATEGORIES.items() if v == "functions")


def language_of(path: str) -> str | None:
    """The grammar for a source file by its extension; None for anything else."""
    if path.endswith(".d.ts"):
        return None
    dot = path.rfind(".")
    return _EXTENSIONS.get(path[dot:].lower()) if dot > path.rfind("/") else None


class _Grammars(threading.local):
    """Parsers are not thread-safe: one set per thread, built on first use."""

    def __init__(self) -> None:
        self.parsers: dict[str, tree_sitter.Parser] = {}
        self.tables: dict[str, dict[int, str]] = {}

    def get(self, name: str) -> tuple[tree_sitter.Parser, dict[int, str]]:
        if name not in self.parsers:
            language = tree_sitter.Language(_language_pointer(name))
            self.parsers[name] = tree_sitter.Parser(language)
            self.tables[name] = _kind_table(language)
        return self.parsers[name], self.tables[name]


def _language_pointer(name: str) -> object:
    if name == "javascript":
        return tree_sitter_javascript.language()
    if name == "typescript":
        return tree_sitter_typescript.language_typescript()
    return tree_sitter_typescript.language_tsx()


def _kind_table(language: tree_sitter.Language) -> dict[int, str]:
    """kind id → the Scan list it goes to, or "" for a subtree the walk skips."""
    table = {}
    for kind_id in range(language.node_kind_count):
        name = language.node_kind_for_id(kind_id)
        if not language.node_kind_is_named(kind_id) and name != "ERROR":
            continue
        if name in _CATEGORIES:
            table[kind_id] = _CATEGORIES[name]
        elif name in _SKIPPED:
            table[kind_id] = ""
    table[0xFFFF] = "errors"  # tree-sitter's id for ERROR nodes
    return table


_GRAMMARS = _Grammars()


@dataclass
class Scan:
    """One parsed file and the nodes the checks look at, each list in source order."""

    path: str
    source: bytes
    root: Node
    calls: list[Node] = field(default_factory=list)
    news: list[Node] = field(default_factory=list)
    loops: list[Node] = field(default_factory=list)
    throws: list[Node] = field(default_factory=list)
    functions: list[Node] = field(default_factory=list)
    declarators: list[Node] = field(default_factory=list)
    assignments: list[Node] = field(default_factory=list)
    updates: list[Node] = field(default_factory=list)
    imports: list[Node] = field(default_factory=list)
    exports: list[Node] = field(default_factory=list)
    errors: list[Node] = field(default_factory=list)
    _starts: dict[str, list[int]] = field(default_factory=dict)

    def within(self, category: str, outer: Node) -> list[Node]:
        """The nodes of one list that lie inside `outer` (the lists are in source order)."""
        nodes: list[Node] = getattr(self, category)
        starts = self._starts.get(category)
        if starts is None:
            starts = self._starts[category] = [n.start_byte for n in nodes]
        lo = bisect.bisect_left(starts, outer.start_byte)
        hi = bisect.bisect_left(starts, outer.end_byte, lo)
        return nodes[lo:hi]

    def error_line(self) -> int:
        """The line of the innermost first syntax error (1 when tree-sitter gives none)."""
        for at, error in enumerate(self.errors):
            following = self.errors[at + 1] if at + 1 < len(self.errors) else None
            if following is None or not contains(error, following):
                return line(error)
        return 1


def names_in(node: Node) -> list[str]:
    """Identifier names read inside `node` (walks the subtree: use on small nodes)."""
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in _IDENTIFIERS:
            found.append(text(current))
        else:
            stack.extend(current.named_children)
    return found


def scan(path: str, source: bytes, grammar: str) -> Scan:
    parser, table = _GRAMMARS.get(grammar)
    tree = parser.parse(source)
    result = Scan(path=path, source=source, root=tree.root_node)
    lists = {name: getattr(result, name) for name in set(_CATEGORIES.values())}
    cursor = tree.walk()
    while True:
        node = cursor.node
        category = table.get(node.kind_id) if node is not None else None
        if category:
            lists[category].append(node)
        if category != "" and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return result


def text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def line(node: Node) -> int:
    return node.start_point.row + 1


def unwrap(node: Node | None) -> Node | None:
    """The expression inside parentheses, `await`, `as`/`satisfies` casts and `!`."""
    while node is not None and node.type in _WRAPPERS:
        inner = node.named_children
        node = (inner[-1] if node.type == "type_assertion" else inner[0]) if inner else None
    return node


_WRAPPERS = frozenset(
    {
        "parenthesized_expression",
        "await_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
    }
)


def string_value(node: Node | None) -> str | None:
    """The value of a plain string literal, else None."""
    if node is None or node.type != "string":
        return None
    return "".join(text(c) for c in node.named_children if c.type == "string_fragment")


def contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte
