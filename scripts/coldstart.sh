#!/usr/bin/env bash
# Measures cold start (process start to the first lesson served) and idle
# RSS of the real binary on SQLite, N times, and prints the median.
#   scripts/coldstart.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.27.3}"
runs=${1:-10}
bin=$(mktemp -d)/authlab
go build -o "$bin" .
slug=$(sed -n 's/.*lessons: \[\([a-z0-9-]*\).*/\1/p' content/course.yaml | head -1)
port=18765
times=()
for i in $(seq 1 "$runs"); do
  data=$(mktemp -d)
  start=$(date +%s%N)
  "$bin" --addr 127.0.0.1:$port --data "$data" >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/lessons/$slug"; do sleep 0.002; done
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000 )))
  if [ "$i" = "$runs" ]; then
    sleep 2
    rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  fi
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$data"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$(( runs / 2 ))]}
echo "cold start to first lesson: median $(awk "BEGIN{printf \"%.3f\", $median/1e6}") s over $runs runs (min $(awk "BEGIN{printf \"%.3f\", ${sorted[0]}/1e6}") s)"
echo "idle RSS after the first lesson: $(awk "BEGIN{printf \"%.1f\", $rss/1024}") MB"
