#!/usr/bin/env bash
# Feed load test: 1,000 agents' calendar feeds on loopback, full 200 bodies and 304 revalidations.
# Usage: api/bench/feeds.sh [DURATION_SECONDS=15] [CONNECTIONS=32] [AGENTS=1000]
# Needs wrk (installed with apt-get when missing). Seeds a fresh SQLite file (or the PostgreSQL
# database in SUNSHIFT_DATABASE_URL, served by SUNSHIFT_SERVER_WORKERS processes) and serves it.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-15}"
CONNECTIONS="${2:-32}"
AGENTS="${3:-1000}"
PORT="${BENCH_PORT:-8798}"
BIN=.venv/bin
WORK="$(mktemp -d)"
export SUNSHIFT_DATABASE_URL="${SUNSHIFT_DATABASE_URL:-sqlite:///$WORK/feeds.db}"
export SUNSHIFT_PORT="$PORT" SUNSHIFT_LOG_LEVEL=warning SUNSHIFT_JOBS_ENABLED=false
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
command -v wrk >/dev/null || { echo "wrk is missing and could not be installed" >&2; exit 2; }

$BIN/python -m api.bench.seed_feeds "$SUNSHIFT_DATABASE_URL" "$AGENTS" "$WORK/paths.txt"
$BIN/sunshift serve >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done

# each feed's ETag, fetched once, one after another: each is a cold render (timed)
COLD_START=$(date +%s.%N)
while read -r path; do
  printf '%s %s\n' "$path" "$(curl -fsS -o /dev/null -D - "$BASE$path" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')"
done <"$WORK/paths.txt" >"$WORK/etags.txt"
COLD_SECONDS=$(awk -v a="$COLD_START" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')

cat >"$WORK/feeds.lua" <<'LUA'
-- cycles through every feed; with REVALIDATE=1 sends each feed's ETag (expects 304s)
local feeds, i = {}, 0
for line in io.lines(os.getenv("FEEDS")) do
  local path, etag = line:match("^(%S+) (%S+)$")
  feeds[#feeds + 1] = {path = path, etag = etag}
end
local revalidate = os.getenv("REVALIDATE") == "1"
request = function()
  i = i % #feeds + 1
  local headers = {}
  if revalidate then headers["If-None-Match"] = feeds[i].etag end
  return wrk.format("GET", feeds[i].path, headers)
end
LUA

# every server process keeps its own cache of rendered feeds: warm them all before measuring
FEEDS="$WORK/etags.txt" REVALIDATE=0 wrk -t2 -c"$CONNECTIONS" -d10s -s "$WORK/feeds.lua" "$BASE" >/dev/null
printf 'cold renders: %s feeds fetched one by one in %.1f s (curl included)\n' "$AGENTS" "$COLD_SECONDS"
echo "$AGENTS agent feeds, $(wc -l <"$WORK/etags.txt") seeded; wrk -t2 -c$CONNECTIONS -d${DURATION}s (${SUNSHIFT_DATABASE_URL%%:*}, ${SUNSHIFT_SERVER_WORKERS:-1} server process(es))"
printf '%-12s %10s %9s %9s %9s %9s %9s\n' kind req/s p50 p90 p99 requests read
for mode in 0 1; do
  OUT="$(FEEDS="$WORK/etags.txt" REVALIDATE=$mode wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/feeds.lua" "$BASE")"
  RPS="$(echo "$OUT" | awk '/Requests\/sec/ {print $2}')"
  P50="$(echo "$OUT" | awk '$1=="50%" {print $2}')"
  P90="$(echo "$OUT" | awk '$1=="90%" {print $2}')"
  P99="$(echo "$OUT" | awk '$1=="99%" {print $2}')"
  TOTAL="$(echo "$OUT" | awk '/requests in/ {print $1}')"
  READ="$(echo "$OUT" | awk '/requests in/ {print $(NF-1)}')"
  ERRORS="$(echo "$OUT" | awk '/Non-2xx/ {print "errors=" $NF}')"  # wrk counts >= 400 here
  printf '%-12s %10s %9s %9s %9s %9s %9s %s\n' "$([ $mode = 1 ] && echo '304 revalid' || echo '200 full')" "$RPS" "$P50" "$P90" "$P99" "$TOTAL" "$READ" "$ERRORS"
done
