#!/usr/bin/env bash
# Start to first decision: launches `gavel serve` on REPO with a fresh data directory and POSTs one evaluation every
# 50 ms until the answer is 200; prints the milliseconds from launch to that answer. Used for BENCHMARKS.md's start
# rows (issue 12). With the class-data archive as `scripts/gavel serve` uses it:
#   S="<serve_opts of scripts/gavel>"; java $S -XX:ArchiveClassesAtExit=/tmp/g.jsa -jar api/target/gavel.jar \
#       serve --warm-up --data "$(mktemp -d)" --port 0
#   bench/load/start.sh api/target/gavel.jar /tmp/gavel-bench/figures/10000/gavel/repo.git 18600 $S -XX:SharedArchiveFile=/tmp/g.jsa
# Usage: bench/load/start.sh JAR REPO PORT [java options...]   (SCOPE=... picks the request's scope; KEEP=FILE keeps the log)
set -euo pipefail
jar="$1"; repo="$2"; port="$3"; shift 3
scope="${SCOPE:-tenant-44.billing.bot.prod}"
data="$(mktemp -d /tmp/gavel-start.XXXXXX)"
body='{"scope":"'"$scope"'","resource":{"type":"model","name":"gpt-x"},"action":"deploy",
  "location":{"name":"us-east-1","country":"US","continent":"NA"},"flavor":{"name":"h100","type":"gpu"},
  "tokens":{"input":1000,"output":200}}'
t0=$(date +%s%3N)
java "$@" -jar "$jar" serve --repo "$repo" --data "$data" --port "$port" --bind 127.0.0.1 > "$data/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
while true; do
  if [ -f "$data/admin.token" ]; then
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $(cat "$data/admin.token")" \
      -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/api/v1/evaluate" || true)
    [ "$code" = 200 ] && break
  fi
  kill -0 "$server" 2>/dev/null || { echo "the server exited:" >&2; cat "$data/serve.log" >&2; exit 1; }
  sleep 0.05
done
echo "$(( $(date +%s%3N) - t0 )) ms"
kill "$server"; wait "$server" 2>/dev/null || true
if [ -n "${KEEP:-}" ]; then cp "$data/serve.log" "$KEEP"; fi
