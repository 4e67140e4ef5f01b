#!/usr/bin/env bash
# Restart time against history (not a CI test): ingests into one standalone server in STEPS steps of
# ROWS_PER_STEP small float vectors (flushed every FLUSH_EVERY rows, the last TAIL rows of each step left
# unflushed), stops it with SIGTERM after each step and starts it again on the same data directory. Records,
# per restart, the time from process start to "Elanus standalone ready" and to the first Strong count(*) of
# the loaded collection that returns every row. With BASELINE=<git revision> the same run is made first on
# that revision (built from a clone in bench/target/restart), for a before/after table; its figures are kept
# (bench/target/restart/before.*) and reused by later runs without BASELINE. Writes the restart-bench section
# of BENCHMARKS.md. About 10 minutes per run on 2 cores.
# Each restart is repeated REPEATS times and the fastest kept (the machine is shared).
#   [BASELINE=<rev>] bench/run-restart.sh [steps=10] [rows_per_step=100000] [dim=8] [flush_every=25000] [tail=5000] [repeats=3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/java-env.sh"
steps="${1:-10}"; rows="${2:-100000}"; dim="${3:-8}"; flush_every="${4:-25000}"; tail_rows="${5:-5000}"; repeats="${6:-3}"
port="${ELANUS_BENCH_PORT:-19597}"
out="$root/bench/target/restart"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$root/bench/server" && mvn -q package -DskipTests && mvn -q dependency:build-classpath -Dmdep.outputFile="$work/cp.txt")

# run LABEL ELANUS_ROOT: one full run against the server built in ELANUS_ROOT; results in $out/LABEL.txt
run() {
  local label="$1" elanus_root="$2"
  (cd "$elanus_root" && mvn -q -o -pl elanus-server -am package -DskipTests)
  touch "$elanus_root/elanus-server/target/.elanus-build-stamp"
  rm -rf "$work/data" "$out/$label-logs"; mkdir -p "$out/$label-logs"
  "$JAVA_HOME/bin/java" -Xmx2g -cp "$root/bench/server/target/classes:$(cat "$work/cp.txt")" io.elanus.bench.RestartBench \
    "$elanus_root/bin/elanus" "$work/data" "$port" "$steps" "$rows" "$dim" "$flush_every" "$tail_rows" "$out/$label-logs" "$repeats" \
    | grep '^restart ' | tee "$out/$label.txt"
}

if [ -n "${BASELINE:-}" ]; then
  rm -rf "$out/baseline-src"
  git clone -q "$root" "$out/baseline-src"
  git -C "$out/baseline-src" checkout -q "$BASELINE"
  run before "$out/baseline-src"
  echo "$BASELINE" > "$out/before.rev"
fi
run after "$root"

field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }
section="$work/section.md"
{
  echo "<!-- restart-bench:start -->"
  echo "## Restart time against history (bench/run-restart.sh)"
  echo
  echo "Run on $(date -u +%Y-%m-%d) — $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)."
  echo "One collection (Int64 pk, ${dim}-d float vector, HNSW, loaded), one client; $steps steps of $rows rows inserted in batches"
  echo "of 5,000, flushed every $flush_every rows, the last $tail_rows rows of each step left unflushed; then SIGTERM and a"
  echo "restart on the same data directory, $repeats times, the fastest kept. \"ready\": process start to the \"Elanus standalone"
  echo "ready\" line; \"serving\": process start to the first Strong count(*) that returns every row (JVM start included in both)."
  echo
  if [ -f "$out/before.rev" ] && [ "$(wc -l < "$out/before.txt")" = "$(wc -l < "$out/after.txt")" ]; then
    echo "| rows ingested | ready, before ($(cat "$out/before.rev")) | serving, before | ready, after | serving, after | meta store | WAL |"
    echo "|---|---|---|---|---|---|---|"
    paste -d'\n' "$out/before.txt" "$out/after.txt" | while read -r b && read -r a; do
      echo "| $(field rows "$a") | $(field ready_s "$b") s | $(field serving_s "$b") s | $(field ready_s "$a") s | $(field serving_s "$a") s | $(( $(field meta_bytes "$a") / 1024 )) KiB | $(( $(field wal_bytes "$a") / 1048576 )) MiB |"
    done
  else
    echo "| rows ingested | ready | serving | meta store | WAL |"
    echo "|---|---|---|---|---|"
    while read -r a; do
      echo "| $(field rows "$a") | $(field ready_s "$a") s | $(field serving_s "$a") s | $(( $(field meta_bytes "$a") / 1024 )) KiB | $(( $(field wal_bytes "$a") / 1048576 )) MiB |"
    done < "$out/after.txt"
  fi
  echo
  echo "Meta store and WAL: their size on disk at that restart (after)."
  if [ -f "$out/before.rev" ]; then
    echo
    echo "The \"before\" revision read every sealed segment and index of a loaded collection before its ready line; now"
    echo "the server is ready once the meta store and WAL are open, and loaded collections are read back in the background"
    echo "(GetLoadState says Loading and reads get \"collection not fully loaded\" meanwhile), so \"serving\" grows only as far"
    echo "as the collection's data must be read into memory. The machine was shared with other builds and tests during"
    echo "these runs (see the 0-row starts): compare how each column grows more than the columns against each other."
  fi
  echo "<!-- restart-bench:end -->"
} > "$section"
"$root/bench/update-section.sh" restart-bench "$section"
