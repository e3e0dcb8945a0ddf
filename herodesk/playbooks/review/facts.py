"""Per-file facts the request and error checks share: named functions, who calls
whom, what each file exports and imports, and which calls reach the network."""

from __future__ import annotations

import bisect
import posixpath
from dataclasses import dataclass, field

from .calls import Bindings, bindings_of, callee_text, destructured, request_label
from .syntax import FUNCTION_TYPES, Node, Scan, names_in, text, unwrap

_DEFERRED = frozenset(
    {"setTimeout", "setInterval", "setImmediate", "queueMicrotask", "nextTick", "then"}
)
_RESOLVE_SUFFIXES = ("", ".ts", ".js", ".tsx", ".mjs", ".cjs", "/index.ts", "/index.js")
Key = tuple[str, str]  # (path, function name)


@dataclass
class Function:
    name: str
    node: Node
    requests: list[tuple[Node, str]] = field(default_factory=list)
    calls: list[tuple[str, Node]] = field(default_factory=list)


@dataclass
class Site:
    """A call that ends in an outbound request: `fetch(...)` or `sendBatch(...)`."""

    node: Node
    label: str


@dataclass
class FileFacts:
    scan: Scan
    bound: Bindings
    functions: dict[str, Function] = field(default_factory=dict)
    by_node: dict[int, Function] = field(default_factory=dict)
    exports: dict[str, str] = field(default_factory=dict)  # exported name → local name
    relative: dict[str, Key] = field(default_factory=dict)  # local name → (path, exported)
    toplevel: Function | None = None  # calls made outside any named function
    sites: list[Site] = field(default_factory=list)
    site_starts: list[int] = field(default_factory=list)
    tainted: set[str] = field(default_factory=set)

    @property
    def path(self) -> str:
        return self.scan.path

    def enclosing(self, node: Node) -> Function | None:
        """The innermost named function around `node`."""
        parent = node.parent
        while parent is not None:
            found = self.by_node.get(parent.id)
            if found is not None:
                return found
            parent = parent.parent
        return None

    def has_site_in(self, node: Node) -> bool:
        at = bisect.bisect_left(self.site_starts, node.start_byte)
        return at < len(self.site_starts) and self.site_starts[at] < node.end_byte

    def is_tainted(self, node: Node) -> bool:
        return self.has_site_in(node) or any(n in self.tainted for n in names_in(node))


def file_facts(scan: Scan, paths: frozenset[str]) -> FileFacts:
    facts = FileFacts(scan=scan, bound=bindings_of(scan))
    facts.toplevel = Function(name="", node=scan.root)
    for node in scan.functions:
        name = function_name(node)
        if name is not None:
            function = Function(name=name, node=node)
            facts.by_node[node.id] = function
            facts.functions.setdefault(name, function)
    for local, (module, name) in facts.bound.imported.items():
        if module.startswith("."):
            target = resolve_module(scan.path, module, paths)
            if target is not None:
                facts.relative[local] = (target, name)
    _collect_exports(facts, paths)
    _collect_calls(facts)
    return facts


def function_name(node: Node) -> str | None:
    """The name a function is known by: declared, assigned, or an object key."""
    own = node.child_by_field_name("name")
    if own is not None:
        return text(own)
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression"):
        parent = parent.parent
    if parent is None:
        return None
    if parent.type == "variable_declarator":
        target = parent.child_by_field_name("name")
        return text(target) if target is not None and target.type == "identifier" else None
    if parent.type == "pair":
        return text(parent.child_by_field_name("key")).strip("'\"")
    if parent.type == "assignment_expression":
        left = parent.child_by_field_name("left")
        if left is not None and left.type == "member_expression":
            return text(left.child_by_field_name("property"))
        return text(left) if left is not None and left.type == "identifier" else None
    return None


def resolve_module(importer: str, specifier: str, paths: frozenset[str]) -> str | None:
    base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
    for suffix in _RESOLVE_SUFFIXES:
        if base + suffix in paths:
            return base + suffix
    return None


def _collect_calls(facts: FileFacts) -> None:
    names = facts.functions.keys() | facts.relative.keys()
    calls = facts.scan.calls
    for call, owner in zip(calls, _owners(facts, calls), strict=True):
        callee = callee_text(call)
        if not callee:
            continue
        label = request_label(callee, facts.bound)
        if label:
            facts.sites.append(Site(call, label))
            owner.requests.append((call, label))
        else:
            owner.calls.extend((name, call) for name in _callees(call, callee, names))


def _owners(facts: FileFacts, nodes: list[Node]) -> list[Function]:
    """The innermost named function around each node (in source order), by one sweep."""
    assert facts.toplevel is not None
    spans = sorted(
        ((f.node.start_byte, f.node.end_byte, f) for f in facts.by_node.values()),
        key=lambda span: (span[0], -span[1]),
    )
    stack: list[tuple[int, int, Function]] = []
    owners = []
    at = 0
    for node in nodes:
        position = node.start_byte
        while at < len(spans) and spans[at][0] <= position:
            while stack and stack[-1][1] <= spans[at][0]:
                stack.pop()
            stack.append(spans[at])
            at += 1
        while stack and stack[-1][1] <= position:
            stack.pop()
        owners.append(stack[-1][2] if stack else facts.toplevel)
    return owners


def _callees(call: Node, callee: str, names: set[str] | frozenset[str]) -> list[str]:
    """Named functions a call runs: `f()`, `this.f()`, `setTimeout(f)`, `p.then(f)`."""
    if callee in names:
        return [callee]
    if callee.startswith("this.") and callee[5:] in names:
        return [callee[5:]]
    if callee.rpartition(".")[2] not in _DEFERRED:
        return []
    arguments = call.child_by_field_name("arguments")
    return [
        text(a)
        for a in (arguments.named_children if arguments else [])
        if a.type == "identifier" and text(a) in names
    ]


def _collect_exports(facts: FileFacts, paths: frozenset[str]) -> None:
    for statement in facts.scan.exports:
        _export_statement(facts, statement, paths)
    for assignment in facts.scan.assignments:
        left = assignment.child_by_field_name("left")
        right = unwrap(assignment.child_by_field_name("right"))
        where = text(left)
        if right is None:
            continue
        if where == "module.exports":
            _export_value(facts, right)
        elif where.startswith(("exports.", "module.exports.")):
            _export_one(facts, where.rsplit(".", 1)[-1], right)


def _export_statement(facts: FileFacts, statement: Node, paths: frozenset[str]) -> None:
    declaration = statement.child_by_field_name("declaration")
    value = unwrap(statement.child_by_field_name("value"))
    source = statement.child_by_field_name("source")
    if declaration is not None:
        if declaration.type in FUNCTION_TYPES:
            name = text(declaration.child_by_field_name("name"))
            default = any(c.type == "default" for c in statement.children)
            facts.exports["default" if default else name] = name
        for declarator in declaration.named_children:
            if declarator.type == "variable_declarator":
                target = declarator.child_by_field_name("name")
                if target is not None and target.type == "identifier":
                    facts.exports[text(target)] = text(target)
    elif value is not None:
        _export_value(facts, value)
    for clause in statement.named_children:
        if clause.type != "export_clause":
            continue
        for spec in clause.named_children:
            inner = text(spec.child_by_field_name("name"))
            alias = text(spec.child_by_field_name("alias")) or inner
            if source is None:
                facts.exports[alias] = inner
                continue
            origin = resolve_module(facts.path, text(source).strip("'\"`"), paths)
            if origin is not None:
                local = f"re-export {alias}"
                facts.relative[local] = (origin, inner)
                facts.exports[alias] = local


def _export_value(facts: FileFacts, value: Node) -> None:
    """`export default X` / `module.exports = X`: a name, a function or an object."""
    if value.type == "identifier":
        name = text(value)
        facts.exports["default"] = name
        obj = _object_bound_to(facts.scan, name)
        if obj is not None:
            _export_object(facts, obj)
    elif value.type == "object":
        _export_object(facts, value)
    elif value.type in FUNCTION_TYPES:
        named = function_name(value)
        if named:
            facts.exports["default"] = named


def _export_object(facts: FileFacts, obj: Node) -> None:
    for member in obj.named_children:
        if member.type == "shorthand_property_identifier":
            facts.exports[text(member)] = text(member)
        elif member.type == "method_definition":
            name = text(member.child_by_field_name("name"))
            facts.exports[name] = name
        elif member.type == "pair":
            key = text(member.child_by_field_name("key")).strip("'\"")
            _export_one(facts, key, unwrap(member.child_by_field_name("value")))


def _export_one(facts: FileFacts, exported: str, value: Node | None) -> None:
    if value is None:
        return
    if value.type == "identifier":
        facts.exports[exported] = text(value)
    elif value.type in FUNCTION_TYPES:
        facts.exports[exported] = function_name(value) or exported


def _object_bound_to(scan: Scan, name: str) -> Node | None:
    for declarator in scan.declarators:
        target = declarator.child_by_field_name("name")
        value = unwrap(declarator.child_by_field_name("value"))
        if target is not None and text(target) == name and value is not None:
            return value if value.type == "object" else None
    return None


def resolve_all(files: dict[str, FileFacts]) -> dict[Key, str]:
    """Which named functions reach the network (directly or through others), and how.

    Fills each file's request sites (calls to such functions included) and its
    tainted names, and returns (path, function) → a label like `send() → fetch`.
    """
    reaching: dict[Key, str] = {}
    for facts in files.values():
        for function in facts.functions.values():
            if function.requests:
                reaching[(facts.path, function.name)] = function.requests[0][1]
    changed = True
    while changed:
        changed = False
        for facts in files.values():
            for function in facts.functions.values():
                key = (facts.path, function.name)
                if key in reaching:
                    continue
                for callee, _call in function.calls:
                    target = target_of(files, facts, callee)
                    if target is not None and target in reaching:
                        reaching[key] = f"{callee}() → {reaching[target]}"
                        changed = True
                        break
    for facts in files.values():
        _add_indirect_sites(files, facts, reaching)
        facts.tainted = _tainted_names(facts)
    return reaching


def target_of(files: dict[str, FileFacts], facts: FileFacts, name: str) -> Key | None:
    """The (path, function) a local name refers to, following imports and re-exports."""
    for _hop in range(8):
        if name in facts.functions:
            return (facts.path, name)
        if name not in facts.relative:
            return None
        path, exported = facts.relative[name]
        facts = files.get(path)  # type: ignore[assignment]
        if facts is None or exported not in facts.exports:
            return None
        name = facts.exports[exported]
    return None


def _add_indirect_sites(
    files: dict[str, FileFacts], facts: FileFacts, reach: dict[Key, str]
) -> None:
    everything = [*facts.functions.values(), *([facts.toplevel] if facts.toplevel else [])]
    for function in everything:
        for callee, call in function.calls:
            target = target_of(files, facts, callee)
            if target is not None and target in reach:
                facts.sites.append(Site(call, f"{callee}() → {reach[target]}"))
    facts.sites.sort(key=lambda s: s.node.start_byte)
    facts.site_starts = [s.node.start_byte for s in facts.sites]


def _tainted_names(facts: FileFacts) -> set[str]:
    """Names holding data that came from a response (flow-insensitive, by name).

    A name is tainted when it is bound to an expression that makes a request or
    reads a tainted name (`res = await fetch()`, `data = await res.json()`,
    `url = data.next`). Functions assigned to names do not count.
    """
    bindings: list[tuple[list[str], Node]] = []
    for node, target_field, value_field in [
        *((d, "name", "value") for d in facts.scan.declarators),
        *((a, "left", "right") for a in facts.scan.assignments),
    ]:
        value = node.child_by_field_name(value_field)
        target = node.child_by_field_name(target_field)
        if value is not None and target is not None and value.type not in FUNCTION_TYPES:
            bindings.append((_target_names(target), value))
    tainted: set[str] = set()
    pending: list[str] = []
    for targets, value in bindings:
        if facts.has_site_in(value):
            pending += [t for t in targets if t not in tainted]
            tainted.update(targets)
    source = facts.scan.source
    while pending:
        name = pending.pop()
        needle = name.encode()
        for targets, value in bindings:
            if tainted.issuperset(targets):
                continue
            if source.find(needle, value.start_byte, value.end_byte) >= 0 and name in names_in(
                value
            ):
                pending += [t for t in targets if t not in tainted]
                tainted.update(targets)
    return tainted


def _target_names(target: Node) -> list[str]:
    if target.type in ("identifier", "member_expression"):
        return [text(target)]
    if target.type == "object_pattern":
        return [local for local, _ in destructured(target)] or names_in(target)
    return names_in(target)
