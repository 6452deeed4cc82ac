#!/usr/bin/env bash
# What the evaluation log costs HTTP decisions: one `gavel serve` on a figures repository (made by
# `scripts/bench figures 2 --sizes N`), wrk over the figures' request mix (16 connections, 8 s warm-up,
# 15 s measured), then the log writer's counters from /metrics. Used for BENCHMARKS.md "The evaluation
# log's write cost"; extra arguments go to `serve` (e.g. --log-max-lag=0ms).
# Usage: bench/load/log-cost.sh SIZE LABEL [serve args...]   (JAR=... picks another build; JAVA_OPTS=...)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
size="$1"; label="$2"; shift 2
figures="${GAVEL_FIGURES_DIR:-/tmp/gavel-bench/figures}/$size"
jar="${JAR:-$root/api/target/gavel.jar}"
port="${GAVEL_LOAD_PORT:-7401}"
[ -d "$figures/gavel/repo.git" ] || { echo "no $figures/gavel/repo.git: run scripts/bench figures 2 --sizes $size first" >&2; exit 2; }
data="$(mktemp -d /tmp/gavel-log-cost.XXXXXX)"
token=$(java -jar "$jar" token create --role admin --name bench --data "$data" 2>/dev/null)
java ${JAVA_OPTS:--Xmx2g} -jar "$jar" serve --repo "$figures/gavel/repo.git" --data "$data" --port "$port" \
  --bind 127.0.0.1 "$@" > "$data/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.2; done
load() {
  CYCLE_FILE="$figures/gavel-bodies.jsonl" CYCLE_METHOD=POST CYCLE_PATH=/api/v1/evaluate CYCLE_TOKEN="$token" \
    wrk -t2 -c16 --timeout 30s -s "$root/bench/load/cycle.lua" "$@" "http://127.0.0.1:$port"
}
load -d8s > /dev/null
load -d15s --latency | grep '^LOAD' | sed "s/^/$label /"
curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/metrics" \
  | grep -E '^gavel_evaluation_log_(backpressure_waits|rows_written|wal_resets)_total' | sed "s/^/$label /"
kill "$server"; wait "$server" 2>/dev/null || true
trap - EXIT
rm -rf "$data"
