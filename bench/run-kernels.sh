#!/usr/bin/env bash
# JMH kernel benchmarks (not a CI test): every distance kernel of io.elanus.vector.VectorKernels, SIMD
# (Vector API) against scalar, at 100, 128 and 768 dimensions (1024 bits for binary), plus the sparse
# inner product (scalar only); writes the table into the kernel-bench section of BENCHMARKS.md.
# One fork, 2 x 1 s warm-up and 5 x 1 s measurement per benchmark: about eight minutes on 2 cores.
#   bench/run-kernels.sh [JMH options, e.g. -f 2, or a benchmark regex]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/java-env.sh"
work="$root/bench/jmh/target"
mkdir -p "$work"
rm -rf "$work/classes"

# The last module of the reactor (elanus-server) writes the class path file last.
(cd "$root" && mvn -q -pl elanus-server -am compile dependency:build-classpath -Dmdep.outputFile="$work/server-cp.txt")
(cd "$root/bench/jmh" && mvn -q dependency:build-classpath -Dmdep.outputFile="$work/jmh-cp.txt")
cp="$root/elanus-server/target/classes:$(cat "$work/server-cp.txt"):$(cat "$work/jmh-cp.txt")"

# -proc:full: since JDK 23 javac runs annotation processors (here JMH's generator) only when asked.
"$JAVA_HOME/bin/javac" --add-modules jdk.incubator.vector -proc:full -nowarn -d "$work/classes" -cp "$cp" \
  $(find "$root/bench/jmh/src/main/java" -name '*.java')
run_cp="$work/classes:$cp"
LC_ALL=C "$JAVA_HOME/bin/java" -cp "$run_cp" org.openjdk.jmh.Main -rf csv -rff "$work/kernels.csv" "$@"

section="$work/section.md"
{
  echo "<!-- kernel-bench:start -->"
  echo "## Distance kernels, JMH (bench/run-kernels.sh)"
  echo
  echo "Run on $(date -u +%Y-%m-%d) — $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); JMH average time of one call on one pair of vectors (already in cache), one fork, 5 x 1 s measured after 2 x 1 s warm-up, ± the 99.9% confidence half-width. The 2 cores are shared with other work, so single figures can be off by tens of percent."
  echo
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$run_cp" io.elanus.bench.jmh.KernelTable "$work/kernels.csv" 2>/dev/null
  echo
  echo "Float16 and BFloat16 vectors are widened to float when a segment is loaded (io.elanus.segment.HalfFloats), so the float kernels search them. \"Off-heap row\" kernels read the stored vector from a little-endian MemorySegment, as HNSW and IVF keep their vectors (int8 indexes keep bytes and score them against the float query); cosine is three dot products, as VectorKernels.cosine computes it (flat scans over floats use pre-normalised vectors and one dot product instead)."
  echo "<!-- kernel-bench:end -->"
} > "$section"
"$root/bench/update-section.sh" kernel-bench "$section"
