"""One place writes: model writes happen only in `actions` modules.

Flags calls of `.save()`, `.delete()`, `.create()`, `.get_or_create()`,
`.update_or_create()`, `.bulk_create()`, `.bulk_update()` and queryset
`.update()` (a call on `X.objects…` or on a `.filter()/.exclude()/.all()`
chain) anywhere in herodesk/ except:
- `actions.py` files and `actions/` packages (the writers),
- migrations, tests, the demo data (herodesk/demo/),
- INFRASTRUCTURE below: rows that record the machinery, not the business
  (job leases and runs, worker heartbeats, outbox leases and attempts, raw
  intake deliveries and their processing state, token last-used stamps).
A `.update()` on a plain dict is not a write; receivers we cannot see
through (a variable holding a queryset) are not caught: review those.
Run by `make lint`; exits 1 naming each write.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRITE_METHODS = {
    "save",
    "delete",
    "create",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
}
QUERYSET_HINTS = {"objects", "filter", "exclude", "all", "select_for_update", "using"}

# module path → why it may write directly (docs/architecture.md lists these).
INFRASTRUCTURE = {
    "herodesk/lib/prepared.py": "the compiled INSERT helper that actions call",
    "herodesk/jobs/scheduler.py": "recurring-job slots, worker heartbeats, stale-job recovery",
    "herodesk/jobs/worker.py": "job leases and results (django-tasks-db rows)",
    "herodesk/notify/outbox.py": "outbox rows: enqueue, leases, attempts, sent/failed state",
    "herodesk/notify/ops.py": "operator retry of an outbox row (audited there)",
    "herodesk/intake/base.py": "raw deliveries: store, processing status, attempts",
    "herodesk/intake/email/attachments.py": "files of a delivery's attachments (raw intake data)",
    "herodesk/teams/auth.py": "API token last-used stamp",
    "herodesk/api/auth.py": "API token last-used stamp",
    "herodesk/api/idempotency.py": "stored answers to creates sent with an Idempotency-Key",
}


def is_excluded(rel: str) -> bool:
    parts = rel.split("/")
    name = parts[-1]
    return (
        "migrations" in parts
        or "tests" in parts
        or name.endswith("_tests.py")
        or name.startswith("test_")
        or name in ("tests.py", "conftest.py", "actions.py")
        or "actions" in parts[:-1]
        or rel.startswith("herodesk/demo/")
        or rel in INFRASTRUCTURE
    )


def chain_names(node: ast.AST) -> list[str]:
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names
        else:
            return names


def writes(path: Path) -> list[str]:
    out = []
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        receiver = chain_names(node.func.value)
        if receiver and receiver[-1] in ("router", "api", "super"):
            continue  # ninja's @router.delete(...), a model's own save() override
        if method == "update":
            if not QUERYSET_HINTS & set(receiver):
                continue
        elif method in ("create", "get_or_create", "update_or_create", "bulk_create"):
            if "objects" not in receiver and not QUERYSET_HINTS & set(receiver):
                continue
        elif method not in WRITE_METHODS:
            continue
        out.append(f"{node.lineno}: .{method}() on {'.'.join(reversed(receiver)) or '…'}")
    return out


def main() -> int:
    problems = []
    for path in sorted((ROOT / "herodesk").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if is_excluded(rel):
            continue
        problems += [f"{rel}:{w}" for w in writes(path)]
    for p in problems:
        print(p)
    print(f"check_writes: {len(problems)} model writes outside actions and the listed exceptions")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
