#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL (skipped with one line when no
# PostgreSQL is reachable on a laptop; required in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export HERODESK_TESTING=true
export HERODESK_VAR_DIR="${HERODESK_VAR_DIR:-$PWD/var/test}"
PG_URL="${HERODESK_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/herodesk}"
WORKERS="${HERODESK_TEST_WORKERS:-2}"

echo "== SQLite =="
DATABASE_URL="sqlite:///$HERODESK_VAR_DIR/test.sqlite3" \
  "$BIN/pytest" -n "$WORKERS" -q "$@"

if "$BIN/python" - "$PG_URL" <<'PY'
import sys, psycopg, dj_database_url
cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                    password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable at {cfg['HOST']}:{cfg['PORT']} ({exc.__class__.__name__})")
    sys.exit(1)
PY
then
  echo "== PostgreSQL =="
  DATABASE_URL="$PG_URL" "$BIN/pytest" -n "$WORKERS" -q "$@"
else
  if [ "${CI:-}" = "true" ]; then
    echo "CI requires PostgreSQL; failing." >&2
    exit 1
  fi
  echo "Skipping the PostgreSQL pass: no PostgreSQL reachable (set HERODESK_TEST_POSTGRES_URL)."
fi
