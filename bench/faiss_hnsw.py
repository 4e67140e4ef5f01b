"""FAISS IndexHNSWFlat on the GloVe split the Java side wrote (bench/run-glove-server.sh).

Reads WORK/glove-42-base.f32 and WORK/glove-42-queries.f32 (little-endian float32 rows) and the ground
truth WORK/glove-gt-42.bin (big-endian int32, top-100 per query), builds IndexHNSWFlat (M=16,
efConstruction=200, inner product on unit vectors, i.e. cosine) on all cores, and measures like
bench/src/common/java/io/elanus/bench/Measurements.java: recall@10 from an untimed pass over every query,
then queries/s with one query per search call on 1 and 2 threads (the queries split between them), each
the best of PASSES timed passes. Writes the results file format of ResultsFile.java.

Usage: python faiss_hnsw.py WORK EFS(comma-separated) OUT.tsv
"""
import itertools
import os
import sys
import threading
import time

import faiss
import numpy as np

SEED = 42
DIM = 100
QUERIES = 10_000
GROUND_TRUTH_K = 100
K = 10
M = 16
EF_CONSTRUCTION = 200
PASSES = 3


def unit(x):
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return np.ascontiguousarray(x / norms, dtype=np.float32)


def recall(found, truth):
    hits = sum(len(set(found[q][:K]) & set(truth[q, :K])) for q in range(len(found)))
    return hits / (len(found) * K)


def timed_pass(index, queries, threads):
    """Seconds for all queries, one per search call, on `threads` threads each taking the next query."""
    counter = itertools.count()  # next() on it is atomic under the GIL; FAISS releases the GIL in search

    def worker():
        for q in iter(lambda: next(counter), None):
            if q >= len(queries):
                return
            index.search(queries[q:q + 1], K)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    t0 = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return time.perf_counter() - t0


def main():
    work, efs, out = sys.argv[1], [int(v) for v in sys.argv[2].split(",")], sys.argv[3]
    base = unit(np.fromfile(os.path.join(work, f"glove-{SEED}-base.f32"), dtype="<f4").reshape(-1, DIM))
    queries = unit(np.fromfile(os.path.join(work, f"glove-{SEED}-queries.f32"), dtype="<f4").reshape(-1, DIM))
    truth = np.fromfile(os.path.join(work, f"glove-gt-{SEED}.bin"), dtype=">i4").reshape(QUERIES, GROUND_TRUTH_K)
    assert len(queries) == QUERIES

    index = faiss.IndexHNSWFlat(DIM, M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = EF_CONSTRUCTION
    t0 = time.perf_counter()
    index.add(base)
    build = time.perf_counter() - t0
    print(f"FAISS {faiss.__version__} IndexHNSWFlat built in {build:.1f}s on {faiss.omp_get_max_threads()} threads", flush=True)
    # One query per call: no OpenMP fan-out inside a search, as the 2 client threads are the parallelism.
    faiss.omp_set_num_threads(1)

    engine = f"FAISS {faiss.__version__} IndexHNSWFlat (in process, Python)"
    lines = [f"# vectors={len(base) + QUERIES} queries={QUERIES}"]
    for ef in efs:
        index.hnsw.efSearch = ef
        found = [index.search(queries[q:q + 1], K)[1][0] for q in range(QUERIES)]
        r = recall(found, truth)
        qps1 = qps2 = 0
        for _ in range(PASSES):
            qps1 = max(qps1, QUERIES / timed_pass(index, queries, 1))
            qps2 = max(qps2, QUERIES / timed_pass(index, queries, 2))
        load = os.getloadavg()[0]
        print(f"{engine} ef={ef} recall@10={r:.4f} qps1={qps1:.0f} qps2={qps2:.0f} load={load:.2f}", flush=True)
        lines.append("\t".join([engine, f"M={M}, efC={EF_CONSTRUCTION}", f"ef={ef}", repr(build), repr(r),
                                repr(qps1), repr(qps2), repr(load)]))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
