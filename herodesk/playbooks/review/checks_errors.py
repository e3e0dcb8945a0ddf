"""`unhandled-errors`: a handler that throws a plain error when a request fails.

PostHog retries a plugin's handler when it throws `RetryError`; anything else
is logged and the event is lost. We look at the exported handlers
(`onEvent`, `processEvent`, `runEveryMinute`, `exportEvents`, …) and every named
function they reach (across files). A `throw` there is flagged when it is not
`throw new RetryError(...)` and it is about an outbound call: it sits in the
`catch` of a `try` that makes a request, or under an `if` whose condition reads
a response (`if (!res.ok) throw new Error(...)`). A throw inside a `try` that
has a `catch` is not flagged: that catch decides what escapes.
"""

from __future__ import annotations

from .facts import FileFacts, Key, target_of
from .model import Finding, Severity
from .syntax import FUNCTION_TYPES, Node, line, text, unwrap

CODE = "unhandled-errors"
HANDLERS = frozenset(
    {
        "onEvent",
        "processEvent",
        "processEventBatch",
        "exportEvents",
        "onAction",
        "onSnapshot",
        "runEveryMinute",
        "runEveryHour",
        "runEveryDay",
        "setupPlugin",
        "teardownPlugin",
    }
)


def handlers(files: dict[str, FileFacts]) -> dict[Key, str]:
    """(path, function) → the handler name it is exported as."""
    found: dict[Key, str] = {}
    for facts in files.values():
        for exported, local in facts.exports.items():
            if exported in HANDLERS:
                target = target_of(files, facts, local)
                if target is not None:
                    found.setdefault(target, exported)
    return found


def check_errors(files: dict[str, FileFacts], reaching: dict[Key, str]) -> list[Finding]:
    findings: dict[tuple[str, int], Finding] = {}
    for start, handler in handlers(files).items():
        reached = _reachable(files, start)
        if not reached & reaching.keys():
            continue  # the handler never reaches the network
        for path, name in sorted(reached):
            facts = files[path]
            function = facts.functions[name]
            for throw in facts.scan.throws:
                if facts.enclosing(throw) is not function or _is_retry(throw):
                    continue
                if _about_a_request(facts, throw):
                    findings.setdefault((path, throw.start_byte), _finding(facts, throw, handler))
    return sorted(findings.values())


def _finding(facts: FileFacts, throw: Node, handler: str) -> Finding:
    thrown = " ".join(text(throw).split())
    if len(thrown) > 60:
        thrown = thrown[:57] + "…"
    message = (
        f"`{thrown.rstrip(';')}` in {handler} when an outbound call fails: "
        "throw `RetryError` so the call is retried"
    )
    return Finding(facts.path, line(throw), CODE, Severity.WARNING, message)


def _reachable(files: dict[str, FileFacts], start: Key) -> set[Key]:
    seen = {start}
    stack = [start]
    while stack:
        path, name = stack.pop()
        facts = files[path]
        for callee, _call in facts.functions[name].calls:
            target = target_of(files, facts, callee)
            if target is not None and target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _is_retry(throw: Node) -> bool:
    thrown = unwrap(throw.named_children[0]) if throw.named_children else None
    if thrown is None or thrown.type != "new_expression":
        return False
    constructor = text(thrown.child_by_field_name("constructor"))
    return constructor.rsplit(".", 1)[-1] == "RetryError"


def _about_a_request(facts: FileFacts, throw: Node) -> bool:
    """Is this throw about a failed request, and does it escape its function?"""
    about = False
    child, node = throw, throw.parent
    while node is not None and node.type not in FUNCTION_TYPES:
        if node.type == "try_statement" and child == node.child_by_field_name("body"):
            if node.child_by_field_name("handler") is not None:
                return False  # caught right here: its catch clause decides what escapes
        elif node.type == "catch_clause":
            attempt = node.parent.child_by_field_name("body") if node.parent else None
            about = about or (attempt is not None and facts.has_site_in(attempt))
        elif node.type in ("if_statement", "ternary_expression"):
            condition = node.child_by_field_name("condition")
            if condition is not None and child != condition and facts.is_tainted(condition):
                about = True
        child, node = node, node.parent
    return about
