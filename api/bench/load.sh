#!/usr/bin/env bash
# Loopback load test: read-route latency with wrk, and job overhead (POST → solver start).
# Usage: api/bench/load.sh [DURATION_SECONDS=10] [CONNECTIONS=16]
# Needs wrk (apt-get install wrk). Starts its own server on 127.0.0.1 with a fresh SQLite file
# (or SUNSHIFT_DATABASE_URL if set) and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-10}"
CONNECTIONS="${2:-16}"
PORT="${BENCH_PORT:-8799}"
BIN=.venv/bin
WORK="$(mktemp -d)"
export SUNSHIFT_DATABASE_URL="${SUNSHIFT_DATABASE_URL:-sqlite:///$WORK/bench.db}"
export SUNSHIFT_PORT="$PORT" SUNSHIFT_LOG_LEVEL=warning SUNSHIFT_MAX_SOLVER_WORKERS=1
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }

KEY="$($BIN/sunshift admin create-key --team bench --role admin --json | $BIN/python -c 'import json,sys; print(json.load(sys.stdin)["key"])')"
$BIN/sunshift serve >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done

SEEDED="$($BIN/python -m api.bench.seed "$BASE" "$KEY" seed)"
FORECAST="$(echo "$SEEDED" | $BIN/python -c 'import json,sys; print(json.load(sys.stdin)["forecast_id"])')"
SOLVE="$(echo "$SEEDED" | $BIN/python -c 'import json,sys; print(json.load(sys.stdin)["solve_id"])')"
VERSION="$(echo "$SEEDED" | $BIN/python -c 'import json,sys; print(json.load(sys.stdin)["roster_version"])')"
echo "seeded: $SEEDED (20 agents, 7 days × 48 intervals)"
echo "wrk -c$CONNECTIONS -d${DURATION}s per route (SUNSHIFT_DATABASE_URL=${SUNSHIFT_DATABASE_URL%%\?*})"
printf '%-44s %10s %9s %9s %9s\n' route req/s p50 p90 p99
for route in \
  /healthz \
  /v1/teams/bench \
  "/v1/teams/bench/agents?limit=50" \
  /v1/teams/bench/forecasts \
  "/v1/teams/bench/solves/$SOLVE" \
  "/v1/teams/bench/rosters" \
  "/v1/teams/bench/rosters/$VERSION" \
  "/v1/teams/bench/rosters/$VERSION/coverage?queue=en"; do
  THREADS=$(( CONNECTIONS < 2 ? 1 : 2 ))
  OUT="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $KEY" "$BASE$route")"
  RPS="$(echo "$OUT" | awk '/Requests\/sec/ {print $2}')"
  P50="$(echo "$OUT" | awk '$1=="50%" {print $2}')"
  P90="$(echo "$OUT" | awk '$1=="90%" {print $2}')"
  P99="$(echo "$OUT" | awk '$1=="99%" {print $2}')"
  NON2XX="$(echo "$OUT" | awk '/Non-2xx/ {print $NF}')"
  printf '%-44s %10s %9s %9s %9s %s\n' "$route" "$RPS" "$P50" "$P90" "$P99" "${NON2XX:+non-2xx=$NON2XX}"
done
echo "job overhead (20 sequential tiny solves):"
$BIN/python -m api.bench.seed "$BASE" "$KEY" jobs 20 "$FORECAST"
