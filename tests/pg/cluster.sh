#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster on a loopback port, owned by the test run.
#   tests/pg/cluster.sh start DIR   -> prints the base URL (postgres://postgres@127.0.0.1:PORT/)
#   tests/pg/cluster.sh stop DIR    -> stops it and removes DIR
#   tests/pg/cluster.sh run CMD...  -> starts one, runs CMD with FORECOURT_TEST_PG set, stops and removes it
#                                      (also when CMD fails); exits with CMD's status
# initdb refuses to run as root, so the cluster runs as the 'postgres' user
# that Debian's package creates.
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] || { echo "cluster.sh: PostgreSQL is not installed (scripts/deps.sh test installs it)" >&2; exit 2; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start() {
  local dir=$1
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg "$BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
  as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c max_connections=300" \
    start >/dev/null
  echo "postgres://postgres@127.0.0.1:$port/"
}

stop() {
  local dir=$1
  [ -d "$dir/data" ] && as_pg "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  run)
    shift
    dir=$(mktemp -d /tmp/fc-pg.XXXXXX)
    trap 'stop "$dir"' EXIT INT TERM
    FORECOURT_TEST_PG=$(start "$dir")
    export FORECOURT_TEST_PG
    set +e
    "$@"
    rc=$?
    exit $rc
    ;;
  *) echo "usage: $0 start DIR | stop DIR | run CMD..." >&2; exit 2 ;;
esac
