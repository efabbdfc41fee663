#!/usr/bin/env bash
# Runs every example walk against a fresh server on the embedded default (SQLite + in-process
# Redis): a temporary data dir, a free port on 127.0.0.1, the binary given as $1 (default
# bin/skillrecord). The server is stopped by its PID whatever happens. `make examples` calls this.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-bin/skillrecord}

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export SKILLRECORD_DATA_DIR=$work/data SKILLRECORD_HTTP_ADDR=127.0.0.1:$port
export SKILLRECORD_URL=http://127.0.0.1:$port EXAMPLES_STATE=$work/state
export ADMIN_USER=bureau.ops ADMIN_PASSWORD=change-me-2026
pid=
stop() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap stop EXIT

"$BIN" migrate up >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }
"$BIN" admin create --username "$ADMIN_USER" --password "$ADMIN_PASSWORD" >/dev/null
"$BIN" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$SKILLRECORD_URL/readyz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "examples: the server stopped:" >&2; cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
curl -fsS "$SKILLRECORD_URL/readyz" >/dev/null || { echo "examples: the server is not ready" >&2; tail -20 "$work/server.log" >&2; exit 1; }

for walk in examples/0*.sh; do
  echo "### $walk"
  bash "$walk" || { echo "examples: $walk failed; server log tail:" >&2; tail -20 "$work/server.log" >&2; exit 1; }
done
echo "examples: every walk passed"
