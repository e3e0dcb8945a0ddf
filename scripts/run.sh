#!/usr/bin/env bash
# `make run`: the worker and the server in one terminal; one Ctrl+C stops both.
#
# Both run in sessions of their own, so the terminal's Ctrl+C (SIGINT to the
# whole foreground process group) reaches only this script, which then sends
# each of them ONE SIGTERM. Granian's worker processes hang when they get a
# second signal while shutting down (the terminal's, then their master's),
# which made a Ctrl+C take ~45 s. Exits with the server's status.
# HERODESK_CLI overrides the command (tests run the venv's `python -m herodesk`).
set -u
CLI=${HERODESK_CLI:-.venv/bin/herodesk}
$CLI serve --check || exit 1  # before the worker: a second `make run` starts nothing
setsid $CLI worker &
worker=$!
setsid $CLI serve &
server=$!
stop() { kill -TERM "$server" "$worker" 2>/dev/null; }
trap stop INT TERM
wait "$server"
status=$?
if [ "$status" -gt 128 ]; then  # our trap ran: the server is stopping, wait for it
  wait "$server"
  status=$?
fi
stop
wait "$worker" 2>/dev/null
exit "$status"
