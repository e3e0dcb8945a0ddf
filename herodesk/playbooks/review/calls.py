"""What counts as an outbound request, and which names lead to one.

Request calls are recognised on the syntax tree: `fetch(...)`, `posthog.api.*(...)`,
clients from axios, got, node-fetch, undici, superagent and friends (by their
import or `require`, under whatever local name), `http(s).request/get`, and
clients made with `axios.create()` / `got.extend()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .syntax import Node, Scan, string_value, text, unwrap

FETCH_MODULES = frozenset(
    {"node-fetch", "cross-fetch", "isomorphic-fetch", "isomorphic-unfetch", "make-fetch-happen"}
)
CLIENT_MODULES = frozenset(
    {"axios", "got", "superagent", "ky", "needle", "phin", "bent", "request", "request-promise"}
)
HTTP_MODULES = frozenset({"http", "https", "http2", "node:http", "node:https", "node:http2"})
UNDICI_FUNCTIONS = frozenset({"fetch", "request", "stream"})
CLIENT_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "fetch"}
)
CLIENT_FACTORIES = frozenset({"create", "extend"})
GLOBAL_OBJECTS = frozenset({"globalThis", "window", "global", "self"})


@dataclass
class Bindings:
    """Local names bound to request functions, HTTP clients and node's http modules."""

    functions: set[str] = field(default_factory=lambda: {"fetch"})
    clients: set[str] = field(default_factory=lambda: {"axios", "got", "superagent"})
    http: set[str] = field(default_factory=lambda: {"http", "https"})
    # local name → (module specifier, imported name or "default" or "*")
    imported: dict[str, tuple[str, str]] = field(default_factory=dict)

    def bind(self, local: str, module: str, name: str) -> None:
        self.imported[local] = (module, name)
        default = name in ("default", "*")
        if module in FETCH_MODULES and (default or name == "fetch"):
            self.functions.add(local)
        elif module in CLIENT_MODULES and default:
            self.clients.add(local)
        elif module in HTTP_MODULES:
            if default:
                self.http.add(local)
            elif name in ("request", "get"):
                self.functions.add(local)
        elif module == "undici":
            if default:
                self.http.add(local)
            elif name in UNDICI_FUNCTIONS:
                self.functions.add(local)


def bindings_of(scan: Scan) -> Bindings:
    found = Bindings()
    for statement in scan.imports:
        _bind_import(found, statement)
    for declarator in scan.declarators:
        _bind_declarator(found, declarator)
    return found


def callee_text(call: Node) -> str:
    """The called expression as written (`fetch`, `axios.post`); "" for anything else."""
    function = call.child_by_field_name("function")
    if function is not None and function.type not in _CALLEE_TYPES:
        function = unwrap(function)
    if function is None or function.type not in _CALLEE_TYPES:
        return ""
    return text(function)


_CALLEE_TYPES = frozenset({"identifier", "member_expression"})


def request_label(callee: str, bound: Bindings) -> str | None:
    """A short name for the request a call to `callee` makes (`fetch`, `axios.post`), or None."""
    if callee in bound.functions or callee in bound.clients:
        return callee
    head, dot, prop = callee.rpartition(".")
    if not dot:
        return None
    if callee.startswith("posthog.api."):
        return callee
    head, prop = head.strip(), prop.strip()
    if head in bound.clients and prop in CLIENT_METHODS:
        return callee
    if head in bound.http and prop in ("request", "get", "fetch", "stream"):
        return callee
    if head in GLOBAL_OBJECTS and prop == "fetch":
        return callee
    return None


def _bind_import(found: Bindings, statement: Node) -> None:
    module = string_value(statement.child_by_field_name("source"))
    if module is None:
        return
    for clause in statement.named_children:
        if clause.type != "import_clause":
            continue
        for part in clause.named_children:
            if part.type == "identifier":
                found.bind(text(part), module, "default")
            elif part.type == "namespace_import":
                for local in part.named_children:
                    found.bind(text(local), module, "*")
            elif part.type == "named_imports":
                for spec in part.named_children:
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias") or name
                    if name is not None:
                        found.bind(text(alias), module, text(name))


def _bind_declarator(found: Bindings, declarator: Node) -> None:
    value = declarator.child_by_field_name("value")
    if value is None or value.type not in _BINDING_VALUES:
        return
    value = unwrap(value)
    target = declarator.child_by_field_name("name")
    if value is None or target is None:
        return
    module = required_module(value)
    if module is not None:
        named = value.type == "member_expression"
        prop = text(value.child_by_field_name("property")) if named else "default"
        if target.type == "identifier":
            found.bind(text(target), module, prop)
        elif target.type == "object_pattern":
            for local, name in destructured(target):
                found.bind(local, module, name)
        return
    if value.type == "call_expression" and target.type == "identifier":
        owner, _dot, prop = callee_text(value).rpartition(".")
        if owner in found.clients and prop in CLIENT_FACTORIES:
            found.clients.add(text(target))


_BINDING_VALUES = frozenset(
    {"call_expression", "member_expression", "await_expression", "parenthesized_expression"}
)


def required_module(value: Node) -> str | None:
    """`m` for `require('m')` and `require('m').x`."""
    if value.type == "member_expression":
        value = unwrap(value.child_by_field_name("object")) or value
    if value.type != "call_expression" or text(value.child_by_field_name("function")) != "require":
        return None
    arguments = value.child_by_field_name("arguments")
    first = arguments.named_children[0] if arguments and arguments.named_children else None
    return string_value(first)


def destructured(pattern: Node) -> list[tuple[str, str]]:
    """(local, property) pairs of an object pattern: `{a, b: c}` → [(a, a), (c, b)]."""
    pairs = []
    for part in pattern.named_children:
        if part.type == "shorthand_property_identifier_pattern":
            pairs.append((text(part), text(part)))
        elif part.type == "pair_pattern":
            key, value = part.child_by_field_name("key"), part.child_by_field_name("value")
            if value is not None and value.type == "identifier":
                pairs.append((text(value), text(key)))
    return pairs
