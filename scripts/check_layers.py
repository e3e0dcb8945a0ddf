"""Import checks that import-linter's layers contract does not cover.

1. No two modules of herodesk import each other in a circle (within an app or
   across apps), test modules excluded.
2. No import hidden inside a function, except where a comment on the line
   before or on it says why (`# lazy: …`, `# ready: …`): Django's AppConfig.ready
   and third-party libraries that must not load at start-up.

Run by `make lint`; exits 1 naming each cycle or import.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
ALLOWED_MARKERS = ("# lazy:", "# ready:")


def is_test(module: str) -> bool:
    parts = module.split(".")
    return (
        "tests" in parts
        or "migrations" in parts
        or parts[-1].endswith("_tests")
        or parts[-1].startswith("test_")
        or parts[-1] in ("conftest", "tests")
    )


def cycles() -> list[list[str]]:
    graph = grimp.build_graph("herodesk", include_external_packages=False)
    modules = sorted(m for m in graph.modules if not is_test(m))
    adjacency = {
        m: sorted(i for i in graph.find_modules_directly_imported_by(m) if not is_test(i))
        for m in modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(root: str) -> None:  # iterative Tarjan (no recursion limit)
        nonlocal counter
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = adjacency.get(node, [])
            if i < len(children):
                work.append((node, i + 1))
                child = children[i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])

    for m in modules:
        if m not in index:
            visit(m)
    return found


def explained(lines: list[str], i: int) -> bool:
    """A marker on the import's line or in the comments/imports right above it."""
    if any(m in lines[i] for m in ALLOWED_MARKERS):
        return True
    j = i - 1
    while j >= 0 and lines[j].strip().startswith(("#", "from ", "import ")):
        if any(m in lines[j] for m in ALLOWED_MARKERS):
            return True
        j -= 1
    return False


def hidden_imports() -> list[str]:
    out = []
    for path in sorted((ROOT / "herodesk").rglob("*.py")):
        rel = path.relative_to(ROOT)
        module = ".".join(rel.with_suffix("").parts)
        if is_test(module):
            continue
        text = path.read_text()
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(node):
                if not isinstance(inner, (ast.Import, ast.ImportFrom)):
                    continue
                if explained(lines, inner.lineno - 1):
                    continue
                out.append(f"{rel}:{inner.lineno}: import inside {node.name}() without a reason")
    return out


def main() -> int:
    problems = [" ⟲ ".join(c) for c in cycles()]
    problems = [f"import cycle: {p}" for p in problems] + hidden_imports()
    for p in problems:
        print(p)
    if not problems:
        print("check_layers: no import cycles, no unexplained function-level imports")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
