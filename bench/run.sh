#!/usr/bin/env bash
# `make bench`: every benchmark, SQLite then PostgreSQL where it applies.
# Figures go to stdout; copy them into bench/RESULTS.md with the date and machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export HERODESK_VAR_DIR=/tmp/herodesk-bench/var
run() { echo "== $*"; "$PY" "$@"; }
for f in bench/bench_sla.py bench/bench_schedule.py; do [ -f "$f" ] && run "$f"; done
run bench/bench_api.py sqlite
run bench/bench_api.py postgres
for f in bench/bench_intake.py bench/bench_notify.py bench/bench_queue_page.py bench/bench_rotations_http.py; do
  [ -f "$f" ] && run "$f"
done
