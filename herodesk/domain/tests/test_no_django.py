"""The pure core must never import Django (checked on the source and at runtime)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parent.parent


def modules() -> list[Path]:
    return [p for p in DOMAIN.glob("*.py") if p.name != "__init__.py"]


def test_no_module_in_domain_imports_django_in_its_source():
    offenders = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "django"]
    assert offenders == []


def test_importing_the_domain_loads_no_django():
    imports = "; ".join(f"import herodesk.domain.{p.stem}" for p in modules())
    code = f"import sys; {imports}; print('django' in sys.modules)"
    res = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=DOMAIN.parent.parent,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "False"
