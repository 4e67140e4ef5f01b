package io.elanus.bench;

/**
 * One point of a sweep: an engine (with how it is reached, e.g. "via gRPC (SDK)"), its build and search
 * parameters, build time (0 when nothing is built), recall@10, queries/s on 1 and 2 threads, and the
 * machine's 1-minute load average right after the point was measured.
 */
record AnnResult(String engine, String build, String search, double buildSeconds, double recall, double qps1,
                 double qps2, double loadAverage) {
}
