#!/usr/bin/env bash
# `make bench`: every benchmark, on SQLite and on PostgreSQL where it applies.
# Figures go to stdout; bench/RESULTS.md records them with the date and machine.
# Run it on a quiet machine: the figures are wall-clock times on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export HERODESK_VAR_DIR=/tmp/herodesk-bench/var
run() { echo "== $*"; "$PY" "$@"; }
run bench/bench_sla.py
run bench/bench_schedule.py
run bench/bench_app_review.py
run bench/bench_cli.py
for db in sqlite postgres; do
  run bench/bench_api.py "$db"
  run bench/bench_intake.py "$db"
  run bench/bench_queue_page.py "$db"
  run bench/bench_rotations_http.py "$db"
  run bench/bench_notify.py "$db"
  run bench/bench_community.py "$db"
  run bench/bench_reports.py "$db"
  run bench/bench_search.py "$db" --budget 5
  run bench/bench_similar.py "$db"
  run bench/bench_index_upkeep.py "$db"
done
