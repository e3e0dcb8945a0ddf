"""CLI cold start: wall time of `herodesk who` and `herodesk check`, and where
the import time goes (`python -X importtime`).

    .venv/bin/python bench/bench_cli.py [--runs 7] [--top 15]

Each run is a new process on a migrated SQLite database with one team, as an
engineer runs `herodesk who` from a shell. Target (issue 17): both ≤ 0.5 s,
`who` ≤ 0.4 s. Reports the median and the fastest run (the least disturbed by
other work on the machine), the median CPU time of a run (user + system, less
disturbed by a busy machine than wall time), the load average, then the
modules with the largest cumulative import time for each command. Also times
Django alone (FLOOR: a bare project with the contrib apps, set up, one query)
on the same machine, the part of the start-up no change to the desk can remove.

Bytecode is written and a warm-up run precedes the timed ones, as on an
installed desk: with PYTHONDONTWRITEBYTECODE set, every run would compile the
project's modules again (~0.25 s) and measure the compiler, not the start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import BIN, database_url, machine

COMMANDS = {"who": ["who"], "check": ["check"]}

# The floor: Django alone on this machine and Python — a bare project with the
# contrib apps every Django site installs (the admin without discovering
# admin.py modules, as the desk's lazy admin), set up, then one query; no
# project code. What `herodesk who` costs above it is the desk's own start-up.
FLOOR = """
import gc; gc.disable()
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=[
        "django.contrib.admin.apps.SimpleAdminConfig",  # no admin.py discovery at start-up
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.staticfiles",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
)
from django.core.management import ManagementUtility
django.setup()
from django.db import connection
connection.cursor().execute("SELECT 1")
"""


def prepare() -> dict[str, str]:
    url = database_url("sqlite", "herodesk_bench_cli")
    env = {**os.environ, "DATABASE_URL": url, "HERODESK_LOG_LEVEL": "WARNING"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("HERODESK_VAR_DIR", "/tmp/herodesk-bench/var")
    subprocess.run([str(BIN / "herodesk"), "migrate", "-v0"], env=env, check=True)
    code = (
        "from herodesk.teams.models import Team; "
        "Team.objects.create(slug='pipeline', name='Pipeline')"
    )
    subprocess.run([str(BIN / "herodesk"), "shell", "-c", code], env=env, check=True)
    return env


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wall(env: dict[str, str], args: list[str], runs: int) -> dict[str, float]:
    command = [str(BIN / "herodesk"), *args] if args else [str(BIN / "python"), "-c", FLOOR]
    subprocess.run(command, env=env, check=True, capture_output=True)  # warm-up: bytecode
    samples, cpu = [], []
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), _cpu()
        subprocess.run(command, env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
        cpu.append(_cpu() - cpu_start)
    return {
        "median_s": round(statistics.median(samples), 3),
        "min_s": round(min(samples), 3),
        "cpu_median_s": round(statistics.median(cpu), 3),
        "runs": len(samples),
        "load": round(os.getloadavg()[0], 2),
    }


def imports(env: dict[str, str], args: list[str], top: int) -> list[tuple[str, float]]:
    """Top-level-ish modules by cumulative import time (ms), from -X importtime."""
    code = f"from herodesk.cli import main; main({args!r})"
    res = subprocess.run(
        [str(BIN / "python"), "-X", "importtime", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows, total = [], 0.0
    for line in res.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        depth = len(name) - len(name.lstrip())
        if not cumulative.strip().isdigit() or depth > 3:
            continue
        rows.append((name.strip(), int(cumulative) / 1000))
        total += int(cumulative) / 1000 if depth == 1 else 0
    rows.sort(key=lambda r: -r[1])
    return [("(all imports)", round(total, 1))] + [(n, round(ms, 1)) for n, ms in rows[:top]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    env = prepare()
    results: dict = {"machine": machine(), "load": os.getloadavg()[0]}
    for name, argv in COMMANDS.items():
        results[name] = wall(env, argv, args.runs)
        print(f"herodesk {name}: {results[name]}", flush=True)
    results["django_floor"] = wall(env, [], args.runs)
    print(f"Django alone (the floor): {results['django_floor']}", flush=True)
    for name, argv in COMMANDS.items():
        results[f"{name}_imports_ms"] = imports(env, argv, args.top)
        print(f"imports of herodesk {name} (cumulative ms):", flush=True)
        for module, ms in results[f"{name}_imports_ms"]:
            print(f"  {ms:8.1f}  {module}", flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
