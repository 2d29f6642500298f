#!/usr/bin/env bash
# Backup and restore, proved: start a server with the demo network, write
# data, take an online backup while it serves, wipe the database, restore
# the backup, start again, and compare what the API shows before and after.
#   tests/ops/backup_restore.sh BIN WEB             SQLite
#   FORECOURT_TEST_PG=postgres://… tests/ops/backup_restore.sh BIN WEB   PostgreSQL (pg_dump/pg_restore)
# Prints "N passed, N failed" and exits non-zero on any difference.
set -euo pipefail
BIN=$(realpath "$1"); WEB=$(realpath "$2")
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

if [ -n "${FORECOURT_TEST_PG:-}" ]; then
  name="fc_backup_$$"
  psql -q "${FORECOURT_TEST_PG}postgres" -c "CREATE DATABASE $name" >/dev/null
  db="${FORECOURT_TEST_PG}$name"
else
  db="$tmp/live.db"
fi

start() {
  FORECOURT_LOG_LEVEL=warn "$BIN" serve --db "$db" --port "$port" --demo --web "$WEB" >"$tmp/out" 2>>"$tmp/err" &
  pid=$!
  for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && return 0; sleep 0.1; done
  echo "server did not start"; cat "$tmp/err"; exit 1
}
stop() { kill "$pid"; wait "$pid" || { echo "server exited with an error"; exit 1; }; pid=; }

snapshot() { # everything a dealer and the network see, as one canonical text
  local t
  t=$(curl -sf -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
      -d '{"email":"admin@forecourt.test","password":"forecourt-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  local s
  s=$(curl -sf -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
      -d '{"email":"sales@garage-amstel.test","password":"forecourt-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  for path in /api/v1/brands /api/v1/dealers /api/v1/users "/api/v1/audit?limit=500"; do
    curl -sf "$base$path" -H "Authorization: Bearer $t"
  done
  curl -sf "$base/api/v1/customers?limit=500" -H "Authorization: Bearer $s"
}

start
t=$(curl -sf -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"sales@garage-amstel.test","password":"forecourt-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
for n in 1 2 3 4 5; do
  curl -sf -X POST "$base/api/v1/customers" -H "Authorization: Bearer $t" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Émilie Backup $n\",\"email\":\"backup$n@example.be\"}" >/dev/null
done
snapshot >"$tmp/before.json"
"$BIN" backup --to "$tmp/backup.dump" --db "$db" >/dev/null
stop

# Wipe, restore, serve again.
if [ -n "${FORECOURT_TEST_PG:-}" ]; then
  psql -q "${FORECOURT_TEST_PG}postgres" -c "DROP DATABASE $name" -c "CREATE DATABASE $name" >/dev/null
  pg_restore --no-owner --dbname "$db" "$tmp/backup.dump"
else
  rm -f "$db" "$db-wal" "$db-shm"
  cp "$tmp/backup.dump" "$db"
fi
start
snapshot >"$tmp/after.json"
stop

passed=0; failed=0
if cmp -s "$tmp/before.json" "$tmp/after.json"; then passed=$((passed + 1)); else
  failed=$((failed + 1)); echo "the restored database differs:"; diff <(tr ',' '\n' <"$tmp/before.json") <(tr ',' '\n' <"$tmp/after.json") | head -20
fi
if grep -q "Émilie Backup 5" "$tmp/after.json"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "data written before the backup is missing"; fi
if grep -qE "AddressSanitizer|LeakSanitizer|runtime error:" "$tmp/err"; then failed=$((failed + 1)); cat "$tmp/err"; else passed=$((passed + 1)); fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
