#!/usr/bin/env bash
# Booking benchmarks (issue 5) on the demo network: the availability query
# for one week and online booking, each next to the reference measured in
# the same run (GET /healthz: no auth, one trivial query). The reference and
# the availability query take turns (ROUNDS times each) and the medians are
# compared, so a busy moment on the machine weighs on both alike.
# Bounded: 127.0.0.1 only, every wrk run lasts DURATION seconds.
#
#   bench/booking.sh            (builds the release binary first)
#
# Environment: DURATION (5 s, at most 15), CONNS (16), THREADS (2),
# ROUNDS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
[ "$DURATION" -le 15 ] || { echo "DURATION is at most 15 seconds" >&2; exit 2; }
CONNS=${CONNS:-16}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
BIN=${BIN:-build/forecourt}

scripts/deps.sh bench
[ -n "${SKIP_BUILD:-}" ] || make build >/dev/null

tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
FORECOURT_LOG_LEVEL=warn "$BIN" serve --db "$tmp/bench.db" --port "$port" --demo --web web >"$tmp/out" 2>"$tmp/err" &
pid=$!
until curl -sf "$base/healthz" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/err" >&2; exit 1; }
  sleep 0.05
done
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"

# A weekday three days ahead (past the lead time), and every free slot of the
# demo dealers for the booking run.
python3 - "$base" "$tmp" <<'PY'
import datetime as dt, json, sys, urllib.request
base, tmp = sys.argv[1], sys.argv[2]
day = dt.date.today() + dt.timedelta(days=3)
while day.weekday() >= 5:
    day += dt.timedelta(days=1)
def get(path):
    with urllib.request.urlopen(base + path) as r:
        return json.load(r)
path = '/api/v1/public/dealers/garage-amstel/availability?services=oil&from=%s&days=7' % day
n = len(get(path)['slots'])
open(tmp + '/availability.txt', 'w').write('\t%s\n' % path)
open(tmp + '/healthz.txt', 'w').write('\t/healthz\n')
open(tmp + '/week.txt', 'w').write('%d\n' % n)
lines = []
for slug in ('garage-amstel', 'bruxelles-auto', 'montreal-motors'):
    for week in range(0, 9):
        start = dt.date.today() + dt.timedelta(days=3 + 7 * week)
        for s in get('/api/v1/public/dealers/%s/availability?services=oil&from=%s&days=7' % (slug, start))['slots']:
            lines.append('%s\t%s\toil' % (slug, s['start']))
open(tmp + '/book.txt', 'w').write('\n'.join(lines) + '\n')
PY
echo "== availability: garage-amstel, services=oil, one week from a weekday three days ahead: $(cat "$tmp/week.txt") slots"
echo "== free slots listed for the booking run: $(wc -l <"$tmp/book.txt")"

run() { # name script list
  BENCH_NAME=$1 BENCH_LIST=$3 BENCH_DIR=bench BENCH_THREADS=$THREADS \
    wrk -t "$THREADS" -c "$CONNS" -d "${DURATION}s" --latency -s "bench/$2" "$base" 2>&1 | grep '^BENCH ' | tee -a "$tmp/results"
}
echo "== wrk: $THREADS threads, $CONNS connections, ${DURATION}s per run, $ROUNDS rounds"
for _ in $(seq "$ROUNDS"); do
  run healthz rotate.lua "$tmp/healthz.txt"
  run availability rotate.lua "$tmp/availability.txt"
done
# Booking: 3 s, so that the listed free slots (each booked once) outlast the run.
DURATION=3 run booking book.lua "$tmp/book.txt"

python3 - "$tmp/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    kv = dict(p.split('=', 1) for p in line.split()[1:])
    rows.setdefault(kv['name'], []).append(kv)
def med(name, key):
    return statistics.median(float(r[key]) for r in rows[name])
h, a = med('healthz', 'rps'), med('availability', 'rps')
print('healthz (reference)      %9.0f req/s   p50 %6.2f ms   p99 %6.2f ms' % (h, med('healthz', 'p50_ms'), med('healthz', 'p99_ms')))
print('availability, one week   %9.0f req/s   p50 %6.2f ms   p99 %6.2f ms   %.2f of the reference (target 0.5, p99 < 10 ms)'
      % (a, med('availability', 'p50_ms'), med('availability', 'p99_ms'), a / h))
b = rows['booking'][0]
print('booking                  %9.0f req/s   p50 %6.2f ms   p99 %6.2f ms   statuses %s'
      % (float(b['rps']), float(b['p50_ms']), float(b['p99_ms']), b['statuses']))
PY
