"""The pure core must never import Django (checked on the source and at runtime)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parent.parent
ROOT = DOMAIN.parent.parent


def sources() -> list[Path]:
    """Every Python file under herodesk/domain/, tests included."""
    return sorted(p for p in DOMAIN.rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_sources_are_found() -> None:
    names = {module_name(p) for p in sources()}
    assert {"herodesk.domain.business_hours", "herodesk.domain.sla"} <= names


def test_no_module_in_domain_imports_django_in_its_source() -> None:
    offenders = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
                names = [str(a.value) for a in node.args if isinstance(a, ast.Constant)]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "django"]
    assert offenders == []


def test_importing_the_domain_loads_no_django() -> None:
    modules = [module_name(p) for p in sources() if "tests" not in p.parts]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"
