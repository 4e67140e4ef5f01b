#!/usr/bin/env bash
# Filter-evaluation throughput (not a CI test): rows/s per thread of typical Milvus filters over one
# 1M-row chunk (a range, an `in` with 1,000 values, a JSON path comparison, a `like` prefix), written to BENCHMARKS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/java-env.sh"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
(cd "$root" && mvn -q -pl elanus-server -am package -DskipTests)
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Xmx4g \
  -cp "$root/elanus-server/target/test-classes:$root/elanus-server/target/classes:$root/elanus-server/target/lib/*" \
  io.elanus.expr.bench.FilterBenchmark 2>/dev/null | tee "$work/out.txt"

section="$work/section.md"
{
  echo "<!-- filter-bench:start -->"
  echo "## Filter evaluation (bench/run-filter.sh)"
  echo
  echo "Run on $(date -u +%Y-%m-%d) — $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); one thread, one 1,000,000-row chunk, columnar evaluation into a bitset."
  echo
  echo "| filter | rows/s per thread |"
  echo "|---|---|"
  sed -E 's/^(.*[^ ]) +([0-9,]+) rows\/s.*/| \1 | \2 |/' "$work/out.txt"
  echo
  echo "Target (issue 3): simple numeric predicates at memory speed (hundreds of millions of rows/s per thread)."
  echo "<!-- filter-bench:end -->"
} > "$section"
"$root/bench/update-section.sh" filter-bench "$section"
