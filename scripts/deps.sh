#!/usr/bin/env bash
# Installs the Debian packages Forecourt needs, and nothing that is already there.
#   scripts/deps.sh          what building and running need
#   scripts/deps.sh test     plus what the tests need (cmocka, chromium, playwright-core)
#   scripts/deps.sh bench    plus what the benchmarks need (wrk)
# Idempotent and unattended: a second run checks and returns at once.
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(build-essential cmake pkg-config nodejs npm libmicrohttpd-dev libjansson-dev
            libsqlite3-dev libsodium-dev libphonenumber-dev libunistring-dev
            libical-dev libexpat1-dev libpq-dev postgresql-client libcurl4-openssl-dev
            sqlite3 tzdata curl)
test_pkgs=(clang libclang-rt-14-dev libcmocka-dev python3 chromium nodejs npm postgresql)
bench_pkgs=(wrk python3)

want=("${build_pkgs[@]}")
[ "${1:-}" = test ] && want+=("${test_pkgs[@]}")
[ "${1:-}" = bench ] && want+=("${bench_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# A python3 or node on PATH (e.g. from pyenv) is as good as Debian's.
filtered=()
for p in "${missing[@]}"; do
  case "$p" in
    python3) command -v python3 >/dev/null || filtered+=("$p") ;;
    nodejs)  command -v node >/dev/null || filtered+=("$p") ;;
    npm)     command -v npm >/dev/null || filtered+=("$p") ;;
    *) filtered+=("$p") ;;
  esac
done
missing=("${filtered[@]+"${filtered[@]}"}")

if [ "${#missing[@]}" -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The dashboards' charting library comes from npm, never copied into the repository.
if [ -f web/package.json ] && [ ! -f web/node_modules/chart.js/dist/chart.umd.js ]; then
  echo "deps: installing the web pages' npm packages (chart.js)"
  (cd web && npm ci --omit=dev --no-audit --no-fund --silent)
fi

if [ "${1:-}" = test ] && [ ! -d tests/browser/node_modules/playwright-core ]; then
  echo "deps: installing playwright-core (npm; uses Debian's chromium, downloads no browser)"
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi
exit 0
