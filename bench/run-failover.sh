#!/usr/bin/env bash
# Cluster failover timings (not a CI figure): runs the multi-process cluster test (every role its own JVM on
# etcd, Kafka and S3; two datanodes, two query nodes, two proxies) RUNS times. Each run kills -9 one datanode
# and one query node during ingest and search, and reports how long until searches are served again and until
# a flush asked at the kill completes (sessions expire after 5 s in the test). Writes the failover-bench
# section of BENCHMARKS.md.
# Usage: bench/run-failover.sh [runs]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/java-env.sh
RUNS="${1:-3}"
OUT=bench/target/failover
mkdir -p "$OUT"
: > "$OUT/lines.txt"
for run in $(seq 1 "$RUNS"); do
  mvn -q package -Dtest=ClusterFailoverTest -Dsurefire.failIfNoSpecifiedTests=false \
    > "$OUT/run-$run.log" 2>&1 || { echo "run $run failed; see $OUT/run-$run.log" >&2; exit 1; }
  grep -h "cluster failover:" "$OUT/run-$run.log" | head -1 | tee -a "$OUT/lines.txt"
done
{
  echo "<!-- failover-bench:start -->"
  echo "## Cluster failover (bench/run-failover.sh)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); $(date -u +%Y-%m-%d). Every role its own JVM on"
  echo "etcd 3.4, Kafka (KRaft, one broker) and s3proxy on loopback; session TTL 5 s. Each run kills -9 one datanode and one"
  echo "query node while a client inserts through one proxy and searches through another."
  echo
  echo "| run | searches served again after | flush asked at the kill completed after | rows acknowledged during the failover (none lost or duplicated) |"
  echo "|---|---|---|---|"
  n=0
  while read -r line; do
    n=$((n + 1))
    served=$(sed -E 's/.*served again ([0-9]+) ms.*/\1/' <<<"$line")
    flushed=$(sed -E 's/.*completed after ([0-9]+) ms.*/\1/' <<<"$line")
    rows=$(sed -E 's/.*; ([0-9]+) rows acknowledged.*/\1/' <<<"$line")
    echo "| $n | $served ms | $flushed ms | $rows |"
  done < "$OUT/lines.txt"
  echo
  echo "Most of the time is the session TTL: a dead node is noticed when its lease expires (common.session.ttl)."
  echo "<!-- failover-bench:end -->"
} > "$OUT/section.md"
bench/update-section.sh failover-bench "$OUT/section.md"
