#!/usr/bin/env bash
# Server benchmark (not a CI test): starts a fresh standalone server, measures ingest through the
# official Java SDK (100-d float vectors, batches of 1,000, one client) and exact (FLAT) search
# queries/s on 1 and 2 client threads, and records the figures in BENCHMARKS.md.
#   bench/run-server.sh [rows=331479] [dim=100] [batch=1000] [search_seconds=20]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/java-env.sh"
rows="${1:-331479}"; dim="${2:-100}"; batch="${3:-1000}"; seconds="${4:-20}"
port="${ELANUS_BENCH_PORT:-19599}"
work="$(mktemp -d)"
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

(cd "$root/bench/server" && mvn -q package -DskipTests && mvn -q dependency:build-classpath -Dmdep.outputFile="$work/cp.txt")
ELANUS_JAVA_OPTS="${ELANUS_JAVA_OPTS:-}" "$root/bin/elanus" standalone --data-dir "$work/data" --port "$port" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  grep -q "Elanus standalone ready" "$work/server.log" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.5
done

out="$work/results.txt"
"$JAVA_HOME/bin/java" -Xmx4g -cp "$root/bench/server/target/classes:$(cat "$work/cp.txt")" io.elanus.bench.ServerBench \
  "http://127.0.0.1:$port" "$rows" "$dim" "$batch" "$seconds" | tee "$out"
val() { grep "^$1=" "$out" | cut -d= -f2; }

section="$work/section.md"
{
  echo "<!-- server-bench:start -->"
  echo "## Standalone server through the Java SDK (bench/run-server.sh)"
  echo
  echo "Run on $(date -u +%Y-%m-%d) — $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)."
  echo "$rows random ${dim}-d float vectors, inserted in batches of $batch by one client; FLAT (exact) L2 top-10 search of single vectors, client and server on the same machine."
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| ingest, column-based inserts (v1 client), rows/s | $(val ingest_columns_rows_per_s) |"
  echo "| ingest, JSON rows (MilvusClientV2), rows/s | $(val ingest_rows_per_s) |"
  echo "| flush of everything ingested (s) | $(val flush_s) |"
  echo "| load (s) | $(val load_s) |"
  echo "| FLAT search, 1 client thread (queries/s) | $(val flat_search_qps_1thread) |"
  echo "| FLAT search, 2 client threads (queries/s) | $(val flat_search_qps_2thread) |"
  echo
  echo "Targets (issue 2): ingest >= 100,000 rows/s; exact search per thread at least a SIMD brute-force scan's ~110 queries/s on 331K x 100-d."
  echo "<!-- server-bench:end -->"
} > "$section"

"$root/bench/update-section.sh" server-bench "$section"
