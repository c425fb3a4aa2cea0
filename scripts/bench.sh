#!/usr/bin/env bash
# Runs the benchmark suite and writes the summary table at the top of
# docs/benchmarks.md: every figure as a ratio against a baseline measured in
# the same run, plus cold start and idle RSS.
#   scripts/bench.sh            # about 3 minutes
# Set AUTHLAB_TEST_REDIS_URL to include sessions in Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.27.3}"
out=$(mktemp)
extra=$(mktemp)
trap 'rm -f "$out" "$extra"' EXIT
go test ./web -run '^$' -bench 'RoundTrip|AuthenticatedPage|LessonPersonal/(baseline|composed)|APIMe|LabMe|QuizAnswer' -benchtime 2s -count 3 | tee "$out"
go test ./live -run '^$' -bench FanOut300 -benchtime 2s -count 3 | tee -a "$out"
scripts/coldstart.sh 10 | tee "$extra"
go run ./scripts/benchsummary -doc docs/benchmarks.md -extra "$extra" < "$out"
echo "docs/benchmarks.md updated"
