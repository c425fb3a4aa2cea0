#!/usr/bin/env bash
# Measures cold start (process start to the first lesson served) and idle
# memory of the real binary on SQLite, N fresh starts each (a new data
# directory every time), and prints medians.
#   scripts/coldstart.sh [runs]              builds . with plain `go build`
#   scripts/coldstart.sh runs BIN [BIN...]   compares binaries, alternating
#                                            them run by run (same load)
# Per binary: size; median wall time to the first lesson; median CPU time
# the process had used by then (all threads, from /proc/PID/task/*/schedstat:
# on a shared, loaded machine it moves far less than the wall time); and,
# two seconds after the first lesson of the last run, RSS and Pss_Anon
# (private memory) from /proc/PID/smaps_rollup and the peak RSS (VmHWM);
# then, once, RSS and Pss_Anon of a copy run from tmpfs.
# NICE=-20 (as root) starts the server and the probe at that priority,
# so the other jobs of a shared machine weigh less on the figure.
# The probe is scripts/firstlesson, which tries the port every 0.5 ms and
# then asks for the lesson once; PROBE=curl polls with a curl every 2 ms
# instead, as this script did until session 8 (a process per try, which
# takes CPU from the server it times: 2-30 ms more on two cores in
# three rounds of session 8, docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.27.3}"
runs=${1:-10}
shift || true
bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
  bins=("$(mktemp -d)/authlab")
  go build -o "${bins[0]}" .
fi
probe=$(mktemp -d)/firstlesson
go build -o "$probe" ./scripts/firstlesson
trap 'rm -rf "$(dirname "$probe")"' EXIT
slug=$(sed -n 's/.*lessons: \[\([a-z0-9-]*\).*/\1/p' content/course.yaml | head -1)
port=18765
# serve BIN DATA starts BIN on a fresh data directory and returns once it
# has served the first lesson; its process ID is in $pid.
serve() {
  nice -n "${NICE:-0}" "$1" --addr 127.0.0.1:$port --data "$2" >/dev/null 2>&1 &
  pid=$!
  if [ "${PROBE:-}" = curl ]; then
    until nice -n "${NICE:-0}" curl -fs -o /dev/null "http://127.0.0.1:$port/lessons/$slug"; do sleep 0.002; done
  else
    nice -n "${NICE:-0}" "$probe" "http://127.0.0.1:$port/lessons/$slug"
  fi
}
# private PID prints its RSS and Pss_Anon.
private() {
  awk '/^Rss:/ {r = $2} /^Pss_Anon:/ {a = $2} END {printf "RSS %.1f MB, Pss_Anon %.1f MB", r / 1024, a / 1024}' /proc/$1/smaps_rollup
}
declare -A walls cpus mem
for i in $(seq 1 "$runs"); do
  for b in "${bins[@]}"; do
    data=$(mktemp -d)
    start=$(date +%s%N)
    serve "$b" "$data"
    end=$(date +%s%N)
    cpu=$(cat /proc/$pid/task/*/schedstat | awk '{s += $1} END {printf "%d", s / 1000}')
    walls[$b]+="$(( (end - start) / 1000 )) "
    cpus[$b]+="$cpu "
    if [ "$i" = "$runs" ]; then
      sleep 2
      mem[$b]=$(private $pid)
      mem[$b]+=$(awk '/^VmHWM:/ {printf ", peak %.1f MB", $2 / 1024}' /proc/$pid/status)
    fi
    kill $pid; wait $pid 2>/dev/null || true
    rm -rf "$data"
  done
done
# The same binaries once more from a copy on tmpfs, where the kernel maps
# the file's pages 4 KB at a time: from ext4 it may map the binary's large
# page-cache folios 2 MB at a time, which counts 2 MB in RSS for a byte
# read, by the state of the page cache rather than the code (see
# docs/benchmarks.md, "Session 7").
declare -A shm
# Only where that holds: a tmpfs mounted without huge= (or huge=never), on
# a kernel not forcing huge pages on every shmem mount.
small_pages() {
  [ -d /dev/shm ] && [ "$(stat -f -c %T /dev/shm)" = tmpfs ] || return 1
  case "$(findmnt -no OPTIONS /dev/shm 2>/dev/null)" in *huge=never*) ;; *huge=*) return 1 ;; esac
  ! grep -q '\[force\]' /sys/kernel/mm/transparent_hugepage/shmem_enabled 2>/dev/null
}
if small_pages; then
  for b in "${bins[@]}"; do
    copy=/dev/shm/coldstart-$$-$(basename "$b")
    cp "$b" "$copy"
    data=$(mktemp -d)
    serve "$copy" "$data"
    sleep 2
    shm[$b]=$(private $pid)
    kill $pid; wait $pid 2>/dev/null || true
    rm -rf "$data" "$copy"
  done
fi
median() { printf '%s\n' $1 | sort -n | awk '{v[NR] = $1} END {printf "%.3f", v[int((NR + 1) / 2)] / 1e6}'; }
minimum() { printf '%s\n' $1 | sort -n | awk 'NR == 1 {printf "%.3f", $1 / 1e6}'; }
for b in "${bins[@]}"; do
  echo "$b ($(stat -c %s "$b" | awk '{printf "%.1f MB", $1 / 1e6}')):"
  echo "  cold start to first lesson: median $(median "${walls[$b]}") s over $runs runs (min $(minimum "${walls[$b]}") s); CPU used by then: median $(median "${cpus[$b]}") s"
  echo "  after the first lesson: ${mem[$b]}"
  if [ -n "${shm[$b]:-}" ]; then
    echo "  the same from a tmpfs copy (pages mapped 4 KB at a time): ${shm[$b]}"
  fi
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)${NICE:+, measured at nice $NICE}, probe ${PROBE:-firstlesson}"
