#!/usr/bin/env bash
# Network-scale benchmarks: a seeded network of 170 dealers, the release
# build, wrk on 127.0.0.1. Every figure is printed next to the reference
# measured in the same run (GET /healthz: no auth, one trivial query).
#
#   bench/network.sh [sqlite|postgres]
#
# sqlite    seeds var/bench-<scale>.db once (reused while its marker file
#           says the same scale and seed), then benchmarks it
# postgres  starts a throw-away PostgreSQL cluster (tests/pg/cluster.sh),
#           seeds it, benchmarks it, removes it; or BENCH_PG_URL=postgres://…
#           names an already seeded database to reuse
#
# Environment: SCALE (network for sqlite, medium for postgres), SEED (1),
# DURATION (seconds per wrk run, 10, at most 15), CONNS (connections, 16),
# THREADS (wrk threads, 2), SEARCH_CONNS (4: the latency run of search),
# PG_SHARED_BUFFERS (1GB for the throw-away cluster), KEEP_PG=1 (leave it
# running and print its URL).
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:-sqlite}
case "$STORE" in sqlite | postgres) ;; *) echo "usage: $0 [sqlite|postgres]" >&2; exit 2 ;; esac
if [ "$STORE" = sqlite ]; then SCALE=${SCALE:-network}; else SCALE=${SCALE:-medium}; fi
SEED=${SEED:-1}
DURATION=${DURATION:-10}
[ "$DURATION" -le 15 ] || { echo "DURATION is at most 15 seconds" >&2; exit 2; }
CONNS=${CONNS:-16}
THREADS=${THREADS:-2}
SEARCH_CONNS=${SEARCH_CONNS:-4}
BIN=build/forecourt

scripts/deps.sh bench
make build >/dev/null

tmp=$(mktemp -d)
pid=
pgdir=
sampler=
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$pgdir" ] && [ "${KEEP_PG:-0}" != 1 ]; then tests/pg/cluster.sh stop "$pgdir"; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== machine: $(nproc) cores, $(free -h | awk '/Mem:/ {print $2}') RAM, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"

# --- the database
seed_time=reused
if [ "$STORE" = sqlite ]; then
  DBURL=${DB:-var/bench-$SCALE.db}
  marker="$DBURL.seeded"
  if [ -f "$DBURL" ] && [ -f "$marker" ] && grep -q "^scale=$SCALE seed=$SEED " "$marker"; then
    echo "== reusing $DBURL ($(cat "$marker"))"
  else
    rm -f "$DBURL" "$DBURL-wal" "$DBURL-shm" "$marker"
    mkdir -p "$(dirname "$DBURL")"
    echo "== seeding $DBURL at scale $SCALE"
    t0=$(date +%s.%N)
    "$BIN" seed --scale "$SCALE" --seed "$SEED" --db "$DBURL"
    seed_time=$(python3 -c "print(round($(date +%s.%N) - $t0, 1))")
    echo "scale=$SCALE seed=$SEED seeded_in_s=$seed_time on $(date -u +%Y-%m-%d)" >"$marker"
  fi
  echo "== database file: $(du -h "$DBURL" | cut -f1)"
else
  if [ -n "${BENCH_PG_URL:-}" ]; then
    DBURL=$BENCH_PG_URL
    echo "== reusing $DBURL"
  else
    pgdir=$(mktemp -d /tmp/fc-bench-pg.XXXXXX)
    base=$(tests/pg/cluster.sh start "$pgdir")
    DBURL=$base
    # A page cache worth the name for the throw-away cluster (the default is 128MB).
    psql -X -q "$DBURL" -c "ALTER SYSTEM SET shared_buffers = '${PG_SHARED_BUFFERS:-1GB}'" \
      -c "ALTER SYSTEM SET effective_cache_size = '8GB'" -c "ALTER SYSTEM SET work_mem = '16MB'" >/dev/null
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" -w restart >/dev/null
    else "$pgbin/pg_ctl" -D "$pgdir/data" -w restart >/dev/null; fi
    [ "${KEEP_PG:-0}" = 1 ] && echo "== PostgreSQL stays at $DBURL (data in $pgdir)"
    echo "== seeding PostgreSQL ($(psql -X -At "$DBURL" -c 'SHOW server_version')) at scale $SCALE"
    t0=$(date +%s.%N)
    "$BIN" seed --scale "$SCALE" --seed "$SEED" --db "$DBURL"
    seed_time=$(python3 -c "print(round($(date +%s.%N) - $t0, 1))")
  fi
  echo "== database size: $(psql -X -At "$DBURL" -c 'SELECT pg_size_pretty(pg_database_size(current_database()))')"
fi

# --- the server: start-up time (three starts), then one for the benchmarks
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
start_server() { # sets pid, and started_ms: launch to the first answer of /healthz
  FORECOURT_LOG_LEVEL=warn "$BIN" serve --db "$DBURL" --port "$port" --threads "$(nproc)" --web web \
    >"$tmp/server.out" 2>"$tmp/server.err" &
  pid=$!
  local t0 i=0
  t0=$(date +%s.%N)
  until curl -sf "$base/healthz" >/dev/null; do
    sleep 0.01
    i=$((i + 1))
    if [ $i -gt 3000 ] || ! kill -0 "$pid" 2>/dev/null; then cat "$tmp/server.err" >&2; echo "server did not start" >&2; exit 1; fi
  done
  started_ms=$(python3 -c "print(round(($(date +%s.%N) - $t0) * 1000))")
}
stop_server() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
startups=()
for _ in 1 2 3; do
  start_server
  startups+=("$started_ms")
  stop_server
done
startup_ms=$(printf '%s\n' "${startups[@]}" | sort -n | sed -n 2p)
echo "== start-up on the seeded database: ${startups[*]} ms (median $startup_ms)"
start_server

# The inputs (this signs in some twenty accounts: argon2id takes 64 MiB per
# sign-in, which is why VmHWM is reported apart from the RSS under load).
python3 bench/fragments.py "$base" "$DBURL" "$tmp"
# Server memory, sampled through the load runs.
( while kill -0 "$pid" 2>/dev/null; do awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null; sleep 0.2; done ) \
  >"$tmp/rss" 2>/dev/null &
sampler=$!

run() { # name script list connections
  local name=$1 script=$2 list=$3 conns=$4
  BENCH_NAME=$name BENCH_LIST=$list BENCH_DIR=bench BENCH_THREADS=$THREADS \
    wrk -t "$THREADS" -c "$conns" -d "${DURATION}s" -s "bench/$script" "$base" >"$tmp/wrk.$name" 2>&1 || true
  local line
  line=$(grep '^BENCH ' "$tmp/wrk.$name" || true)
  if [ -z "$line" ]; then echo "wrk $name failed:" >&2; cat "$tmp/wrk.$name" >&2; return 0; fi
  echo "$line" | tee -a "$tmp/results"
}

printf '\t/healthz\n' >"$tmp/healthz.txt"
echo "== wrk: $THREADS threads, ${DURATION}s per run, $(nproc) server threads"
run healthz rotate.lua "$tmp/healthz.txt" "$CONNS"
run search rotate.lua "$tmp/search.txt" "$SEARCH_CONNS"
run search_busy rotate.lua "$tmp/search.txt" "$CONNS"
run availability rotate.lua "$tmp/availability.txt" "$CONNS"
run booking book.lua "$tmp/book.txt" "$CONNS"
# Lead intake when the server has it (a 404 for the route means it does not).
probe=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' "$base/api/v1/leads" \
  -H "Authorization: Bearer $(python3 -c "import json; print(json.load(open('$tmp/info.json'))['dealers'][0]['token'])")")
if [ "$probe" != 404 ]; then run leads lead.lua "$tmp/leads.txt" "$CONNS"; else echo "== no POST /api/v1/leads: lead intake skipped"; fi

# --- dashboards: time to answer, when GET /api/v1/kpis exists
timeit() { # token path runs -> "median max" in ms
  local token=$1 path=$2 runs=$3 t=() code
  for _ in $(seq "$runs"); do
    read -r code secs < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" "$base$path")
    [ "$code" = 200 ] || { echo "HTTP $code"; return; }
    t+=("$secs")
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.0f %.0f\n", a[int((NR+1)/2)]*1000, a[NR]*1000}'
}
admin=$(python3 -c "import json; print(json.load(open('$tmp/info.json'))['admin'])")
dtoken=$(python3 -c "import json; print(json.load(open('$tmp/info.json'))['biggest_dealer']['admin_token'])")
did=$(python3 -c "import json; print(json.load(open('$tmp/info.json'))['biggest_dealer']['id'])")
kcode=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $admin" "$base/api/v1/kpis?dealer_id=$did")
if [ "$kcode" = 404 ]; then
  echo "== no GET /api/v1/kpis: dashboards skipped"
else
  today=$(date -u +%Y-%m-%d)
  year_ago=$(date -u -d '-365 days' +%Y-%m-%d)
  echo "DASH name=dealer_30d $(timeit "$dtoken" "/api/v1/kpis?dealer_id=$did" 5)" | tee -a "$tmp/results"
  echo "DASH name=dealer_365d $(timeit "$dtoken" "/api/v1/kpis?dealer_id=$did&from=$year_ago&to=$today" 3)" | tee -a "$tmp/results"
  echo "DASH name=network_30d $(timeit "$admin" "/api/v1/kpis" 3)" | tee -a "$tmp/results"
  echo "DASH name=network_365d $(timeit "$admin" "/api/v1/kpis?from=$year_ago&to=$today" 3)" | tee -a "$tmp/results"
fi

kill "$sampler" 2>/dev/null || true
sampler=
rss_max=$(sort -n "$tmp/rss" | tail -1)
status=$(cat "/proc/$pid/status")
echo "MEM rss_max_kb=${rss_max:-0} $(echo "$status" | awk '/VmHWM|RssAnon|RssFile/ {gsub(":",""); printf "%s_kb=%s ", $1, $2}')" \
  | tee -a "$tmp/results"

python3 bench/table.py "$tmp/results" "$STORE" "$SCALE" "$startup_ms" "$seed_time"
