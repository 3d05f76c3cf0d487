#!/usr/bin/env bash
# A bounded soak run: gunicorn with production settings, 32 connections for 60 seconds on
# loopback over the public pages. Fails on any error or non-200 answer, or if a worker's
# memory grows by more than SOAK_MAX_GROWTH_KB after warming up.
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=${SOAK_PORT:-8797}
DURATION=${SOAK_SECONDS:-60}
CONNECTIONS=${SOAK_CONNECTIONS:-32}
MAX_GROWTH_KB=${SOAK_MAX_GROWTH_KB:-8192}
PY=.venv/bin/python

command -v wrk >/dev/null || {
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else echo "The soak run needs wrk: sudo apt-get install wrk" >&2; exit 1; fi
}

work=$(mktemp -d)
export DJANGO_SECRET_KEY="soak-$RANDOM$RANDOM$RANDOM" DJANGO_HTTPS=0 DJANGO_DEBUG=0
export DATABASE_URL=${DATABASE_URL:-sqlite:///$work/soak.sqlite3}
$PY manage.py migrate --noinput --verbosity 0
$PY manage.py seed
$PY manage.py collectstatic --noinput --verbosity 0

.venv/bin/gunicorn pcc_practice.wsgi --bind "127.0.0.1:$PORT" --workers 2 \
  --pid "$work/gunicorn.pid" --error-logfile "$work/gunicorn.log" --daemon
trap 'kill "$(cat "$work/gunicorn.pid")" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 40); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.25; done

worker_rss() { ps --ppid "$(cat "$work/gunicorn.pid")" -o rss= | sort -n | tr '\n' ' '; }

echo "Warming up for 10 seconds"
wrk -t2 -c"$CONNECTIONS" -d10s -s tests/load/paths.lua "http://127.0.0.1:$PORT" >/dev/null
before=$(worker_rss)
echo "Soak: $CONNECTIONS connections for ${DURATION}s"
out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s tests/load/paths.lua \
  "http://127.0.0.1:$PORT")
after=$(worker_rss)
echo "$out"
echo "worker RSS (KB) before: $before"
echo "worker RSS (KB) after:  $after"

fail=0
errors=$(echo "$out" | awk '/^errors:/ {print $2}')
[ "$errors" = 0 ] || { echo "FAIL: $errors errors or non-200 answers" >&2; fail=1; }
read -r -a b <<<"$before"; read -r -a a <<<"$after"
for n in "${!a[@]}"; do
  growth=$(( a[n] - ${b[n]:-0} ))
  echo "worker $n grew by ${growth} KB"
  [ "$growth" -le "$MAX_GROWTH_KB" ] || { echo "FAIL: worker memory grew by ${growth} KB" >&2; fail=1; }
done
[ $fail = 0 ] && echo "Soak passed: no errors, worker memory flat."
exit $fail
