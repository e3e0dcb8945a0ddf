"""`unbounded-requests`: outbound requests whose number has no fixed bound.

A request site (see `facts.Site`) is flagged when, walking out from it, we meet:
- a loop that cannot end on its own: `while (true)`, `for (;;)`, `do … while (1)`;
- a `while`/`for` whose condition reads nothing the loop changes;
- a loop whose condition, or the collection it walks, came from a response
  (`while (url) { … url = page.next }`, `for (const x of data.results)`,
  `data.results.forEach(…)`): the server decides how many requests we make;
- `setInterval` (it never stops on its own);
- a function that reaches the network and calls itself (recursion), directly,
  through other functions, or through `setTimeout`.
"""

from __future__ import annotations

from .facts import FileFacts, Key, target_of
from .model import Finding, Severity
from .syntax import LOOP_TYPES, Node, line, text, unwrap

CODE = "unbounded-requests"
_ITERATORS = frozenset(
    {"forEach", "map", "flatMap", "filter", "reduce", "some", "every", "find", "findIndex"}
)
_TRUE = frozenset({"true", "1", "!0", "!false", "!!1"})


def check_requests(
    files: dict[str, FileFacts], facts: FileFacts, reaching: dict[Key, str]
) -> list[Finding]:
    findings: dict[int, Finding] = {}
    reasons: dict[int, str | None] = {}
    for site in facts.sites:
        if _is_interval(site.node):
            findings.setdefault(
                site.node.id, _finding(facts, site.node, site.label, "`setInterval`")
            )
        for context, why in _unbounded_contexts(facts, site.node, reasons):
            findings.setdefault(context.id, _finding(facts, site.node, site.label, why))
    for finding in _recursion(files, facts, reaching):
        findings.setdefault(hash(finding), finding)
    return sorted(findings.values())


def _finding(facts: FileFacts, site: Node, label: str, why: str) -> Finding:
    message = f"`{label}` inside {why}: the number of requests has no fixed bound"
    return Finding(facts.path, line(site), CODE, Severity.ERROR, message)


def _unbounded_contexts(
    facts: FileFacts, site: Node, reasons: dict[int, str | None]
) -> list[tuple[Node, str]]:
    found = []
    child, node = site, site.parent
    while node is not None:
        if node.type in LOOP_TYPES:
            if node.id not in reasons:
                reasons[node.id] = _loop_reason(facts, node)
            why = reasons[node.id]
            if why:
                found.append((node, f"{why} (line {line(node)})"))
        elif node.type == "call_expression" and child.type == "arguments":
            why = _callback_reason(facts, node)
            if why:
                found.append((node, f"{why} (line {line(node)})"))
        child, node = node, node.parent
    return found


def _callback_reason(facts: FileFacts, call: Node) -> str | None:
    if _is_interval(call):
        return "`setInterval`"
    function = unwrap(call.child_by_field_name("function"))
    if function is None or function.type != "member_expression":
        return None
    method = text(function.child_by_field_name("property"))
    owner = function.child_by_field_name("object")
    if method in _ITERATORS and owner is not None and facts.is_tainted(owner):
        return f"`.{method}()` over data from a response"
    return None


def _is_interval(call: Node) -> bool:
    function = unwrap(call.child_by_field_name("function"))
    return function is not None and text(function).rsplit(".", 1)[-1] == "setInterval"


def _loop_reason(facts: FileFacts, loop: Node) -> str | None:
    if loop.type == "for_in_statement":
        right = loop.child_by_field_name("right")
        if right is not None and facts.is_tainted(right):
            return "a loop over data from a response"
        return None
    condition = loop.child_by_field_name("condition")
    keyword = "`for`" if loop.type == "for_statement" else "`while`"
    bare = _bare(condition)
    if bare == "":
        return "`for (;;)`"
    if bare in _TRUE:
        return f"`{'for (;true;)' if loop.type == 'for_statement' else 'while (true)'}`"
    assert condition is not None
    names = _condition_names(condition)
    if facts.has_site_in(condition) or names & facts.tainted:
        return f"a {keyword} loop whose condition depends on a response"
    if _assigned_from_response(facts, loop, names):
        return f"a {keyword} loop whose condition depends on a response"
    if names and not _has_call(condition) and not _changes(facts, loop, names):
        return f"a {keyword} loop whose condition never changes"
    return None


def _bare(condition: Node | None) -> str:
    if condition is None or condition.type == "empty_statement":
        return ""
    value = text(condition).strip().rstrip(";").strip()
    while value.startswith("(") and value.endswith(")"):
        value = value[1:-1].strip()
    return "".join(value.split())


def _condition_names(condition: Node) -> set[str]:
    """Identifiers and `this.x` members a condition reads."""
    names: set[str] = set()
    stack = [condition]
    while stack:
        node = stack.pop()
        if node.type == "identifier" or (
            node.type == "member_expression" and text(node.child_by_field_name("object")) == "this"
        ):
            names.add(text(node))
        else:
            stack.extend(node.named_children)
    return names


def _has_call(node: Node) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("call_expression", "await_expression", "new_expression"):
            return True
        stack.extend(current.named_children)
    return False


def _root(target: Node) -> str:
    """`x` for `x`, `x.y`, `x[0]`; `this.y` for `this.y.z`."""
    whole = text(target)
    head = whole.split("[", 1)[0]
    parts = head.split(".")
    return ".".join(parts[:2]) if parts[0] == "this" and len(parts) > 1 else parts[0]


def _changes(facts: FileFacts, loop: Node, names: set[str]) -> bool:
    """Does anything inside the loop write to one of `names` (or call a method on it)?"""
    scan = facts.scan
    for write in [*scan.within("assignments", loop), *scan.within("updates", loop)]:
        target = write.child_by_field_name("left") or write.child_by_field_name("argument")
        if target is not None and _root(target) in names:
            return True
    for call in scan.within("calls", loop):
        function = call.child_by_field_name("function")
        if function is not None and function.type == "member_expression":
            owner = function.child_by_field_name("object")
            if owner is not None and _root(owner) in names:
                return True
    return False


def _assigned_from_response(facts: FileFacts, loop: Node, names: set[str]) -> bool:
    for write in facts.scan.within("assignments", loop):
        left, right = write.child_by_field_name("left"), write.child_by_field_name("right")
        if (
            left is not None
            and right is not None
            and _root(left) in names
            and facts.is_tainted(right)
        ):
            return True
    return False


def _recursion(
    files: dict[str, FileFacts], facts: FileFacts, reaching: dict[Key, str]
) -> list[Finding]:
    found = []
    for function in facts.functions.values():
        key = (facts.path, function.name)
        if key not in reaching:
            continue
        for callee, call in function.calls:
            target = target_of(files, facts, callee)
            if target is not None and target in reaching and _reaches(files, target, key):
                why = f"recursive `{function.name}` (calls itself again at line {line(call)})"
                label = reaching[key]
                found.append(_finding(facts, call, label, why))
                break
    return found


def _reaches(files: dict[str, FileFacts], start: Key, goal: Key) -> bool:
    seen = {start}
    stack = [start]
    while stack:
        path, name = stack.pop()
        if (path, name) == goal:
            return True
        facts = files[path]
        for callee, _call in facts.functions[name].calls:
            target = target_of(files, facts, callee)
            if target is not None and target not in seen:
                seen.add(target)
                stack.append(target)
    return False
