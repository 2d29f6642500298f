#!/usr/bin/env bash
# Foundation benchmarks: start-up time, throughput and latency of the HTTP
# stack and of authenticated API reads, server memory under load.
# Reference: GET /healthz on the same server in the same run (one cheap
# query, no auth), so the API figures are read as a ratio to it.
# Bounded: 127.0.0.1 only, each wrk run lasts DURATION seconds.
#   bench/run.sh            (after `make build`; `make bench` does both)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh bench
BIN=${BIN:-build/forecourt}
DURATION=${DURATION:-5}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start=$(date +%s.%N)
FORECOURT_LOG_LEVEL=warn "$BIN" serve --db "$tmp/bench.db" --port "$port" --demo --web web >"$tmp/out" 2>"$tmp/err" &
pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.01; done
ready=$(date +%s.%N)
echo "start-up, new database with demo network (migrations + 9 argon2id hashes): $(python3 -c "print(round(($ready-$start)*1000))") ms"
kill $pid; wait $pid 2>/dev/null || true
start=$(date +%s.%N)
FORECOURT_LOG_LEVEL=warn "$BIN" serve --db "$tmp/bench.db" --port "$port" --web web >"$tmp/out" 2>"$tmp/err" &
pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.01; done
ready=$(date +%s.%N)
echo "start-up, existing database: $(python3 -c "print(round(($ready-$start)*1000))") ms"

token=$(curl -s -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"admin@forecourt.test","password":"forecourt-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

run() { # name, path, extra wrk args...
  local name=$1 path=$2; shift 2
  wrk -t "$THREADS" -c "$CONNS" -d "${DURATION}s" --latency "$@" "http://127.0.0.1:$port$path" >"$tmp/wrk" 2>&1
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk")
  p50=$(awk '$1=="50%" {print $2}' "$tmp/wrk")
  p99=$(awk '$1=="99%" {print $2}' "$tmp/wrk")
  printf '%-34s %10s req/s   p50 %8s   p99 %8s\n' "$name" "$rps" "$p50" "$p99"
  echo "$rps" >"$tmp/rps.$name"
}

echo "wrk: $THREADS threads, $CONNS connections, ${DURATION}s each, server on $(nproc) cores"
run healthz /healthz
run me /api/v1/me -H "Authorization: Bearer $token"
run dealers /api/v1/dealers -H "Authorization: Bearer $token"
run static /app.js
python3 - "$tmp" <<'PY'
import sys
t = sys.argv[1]
r = {n: float(open(f"{t}/rps.{n}").read()) for n in ("healthz", "me", "dealers", "static")}
print("ratio to /healthz: me %.2f, dealers %.2f, static %.2f" % (r["me"] / r["healthz"], r["dealers"] / r["healthz"], r["static"] / r["healthz"]))
PY
echo "server RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status), peak $(awk '/VmHWM/ {print $2, $3}' /proc/$pid/status)"
