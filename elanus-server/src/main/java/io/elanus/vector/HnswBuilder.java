package io.elanus.vector;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds an HNSW graph over a heap float matrix, inserting nodes from several threads. Each node's
 * neighbour list is written under that node's (striped) lock, one lock held at a time; readers scan
 * lists without locking, which is safe because every id ever written is a valid node whose vector
 * is already present (a racy read only sees an older or newer neighbour set).
 */
final class HnswBuilder {
    /** Build threads; defaults to two (the project's target machines have two cores). */
    static final String THREADS_PROPERTY = "elanus.index.buildThreads";
    private static final int LOCK_STRIPES = 4096;

    private final float[] vectors;
    private final int dim;
    private final int count;
    private final MetricType metric;
    private final int m;
    private final int efConstruction;
    private final VectorKernels kernels = VectorKernels.get();
    private final HnswGraph.Heap graph;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final Object entryLock = new Object();
    private volatile int entryPoint = -1;
    private volatile int maxLevel = -1;

    HnswBuilder(float[] vectors, int dim, MetricType metric, int m, int efConstruction, long seed) {
        this.vectors = vectors;
        this.dim = dim;
        this.count = dim == 0 ? 0 : vectors.length / dim;
        this.metric = metric;
        this.m = m;
        this.efConstruction = efConstruction;
        this.graph = new HnswGraph.Heap(count, m, randomLevels(count, m, seed));
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    HnswGraph.Heap build() {
        int threads = Math.max(1, Integer.getInteger(THREADS_PROPERTY, Math.min(2, Runtime.getRuntime().availableProcessors())));
        if (count == 0) {
            return graph;
        }
        insert(0);
        AtomicInteger next = new AtomicInteger(1);
        Runnable worker = () -> {
            for (int node = next.getAndIncrement(); node < count; node = next.getAndIncrement()) {
                insert(node);
            }
        };
        if (threads == 1 || count < 1000) {
            worker.run();
        } else {
            Thread[] pool = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                pool[t] = Thread.ofPlatform().name("hnsw-build-" + t).start(worker);
            }
            for (Thread t : pool) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while building HNSW", e);
                }
            }
        }
        graph.entryPoint = entryPoint;
        graph.maxLevel = maxLevel;
        return graph;
    }

    private static byte[] randomLevels(int count, int m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double ml = 1.0 / Math.log(Math.max(2, m));
        byte[] levels = new byte[count];
        for (int i = 0; i < count; i++) {
            levels[i] = (byte) Math.min(30, (int) (-Math.log(1.0 - rnd.nextDouble()) * ml));
        }
        return levels;
    }

    private float cost(int a, int b) {
        return metric == MetricType.L2 ? kernels.l2sq(vectors, a * dim, vectors, b * dim, dim)
                : -kernels.dot(vectors, a * dim, vectors, b * dim, dim);
    }

    private void insert(int node) {
        int level = graph.levels[node];
        int ep;
        int top;
        synchronized (entryLock) {
            ep = entryPoint;
            top = maxLevel;
            if (ep < 0) {
                entryPoint = node;
                maxLevel = level;
                return;
            }
        }
        float epCost = cost(node, ep);
        for (int lc = top; lc > level; lc--) {
            boolean moved = true;
            while (moved) {
                moved = false;
                int base = graph.base(ep, lc);
                int[] links = graph.links(lc);
                int n = links[base];
                for (int j = 1; j <= n; j++) {
                    int nb = links[base + j];
                    float c = cost(node, nb);
                    if (c < epCost) {
                        epCost = c;
                        ep = nb;
                        moved = true;
                    }
                }
            }
        }
        GraphScratch scratch = GraphScratch.get();
        for (int lc = Math.min(level, top); lc >= 0; lc--) {
            int found = searchLayer(node, ep, lc, scratch);
            int[] chosen = selectNeighbours(node, scratch.nodes, scratch.costs, found, m);
            setLinks(node, lc, chosen);
            int capacity = graph.capacity(lc);
            for (int nb : chosen) {
                addReverseLink(nb, node, lc, capacity);
            }
            ep = scratch.nodes[0];
        }
        if (level > top) {
            synchronized (entryLock) {
                if (level > maxLevel) {
                    maxLevel = level;
                    entryPoint = node;
                }
            }
        }
    }

    /** Beam search of width efConstruction at level {@code lc}; leaves the hits cheapest-first in scratch. */
    private int searchLayer(int node, int entry, int lc, GraphScratch s) {
        s.visited.reset(count);
        s.candidates.clear();
        s.beam.reset(efConstruction);
        float c0 = cost(node, entry);
        s.visited.visit(entry);
        s.candidates.push(c0, entry);
        s.beam.offer(c0, entry);
        int[] links = graph.links(lc);
        while (!s.candidates.isEmpty()) {
            float c = s.candidates.peekCost();
            int current = s.candidates.peekNode();
            if (c > s.beam.threshold()) {
                break;
            }
            s.candidates.pop();
            int base = graph.base(current, lc);
            int n = links[base];
            for (int j = 1; j <= n; j++) {
                int nb = links[base + j];
                if (nb == node || !s.visited.visit(nb)) {
                    continue;
                }
                float nc = cost(node, nb);
                if (nc < s.beam.threshold()) {
                    s.candidates.push(nc, nb);
                    s.beam.offer(nc, nb);
                }
            }
        }
        s.ensure(efConstruction);
        return s.beam.drainSorted(s.nodes, s.costs);
    }

    /**
     * HNSW's neighbour-selection heuristic: walk candidates cheapest-first and keep one only if it is
     * closer to the base node than to every neighbour already kept (this keeps links spread out).
     */
    private int[] selectNeighbours(int base, int[] candidates, float[] costs, int n, int limit) {
        int[] kept = new int[Math.min(limit, n)];
        int size = 0;
        for (int i = 0; i < n && size < kept.length; i++) {
            int c = candidates[i];
            if (c == base) {
                continue;
            }
            boolean diverse = true;
            for (int j = 0; j < size && diverse; j++) {
                diverse = cost(c, kept[j]) >= costs[i];
            }
            if (diverse) {
                kept[size++] = c;
            }
        }
        return size == kept.length ? kept : java.util.Arrays.copyOf(kept, size);
    }

    private void setLinks(int node, int lc, int[] chosen) {
        synchronized (locks[node & (LOCK_STRIPES - 1)]) {
            int base = graph.base(node, lc);
            int[] links = graph.links(lc);
            System.arraycopy(chosen, 0, links, base + 1, chosen.length);
            links[base] = chosen.length;
        }
    }

    private void addReverseLink(int target, int node, int lc, int capacity) {
        synchronized (locks[target & (LOCK_STRIPES - 1)]) {
            int base = graph.base(target, lc);
            int[] links = graph.links(lc);
            int n = links[base];
            for (int j = 1; j <= n; j++) {
                if (links[base + j] == node) {
                    return;
                }
            }
            if (n < capacity) {
                links[base + 1 + n] = node;
                links[base] = n + 1;
                return;
            }
            int[] cands = new int[n + 1];
            float[] costs = new float[n + 1];
            for (int j = 0; j < n; j++) {
                cands[j] = links[base + 1 + j];
                costs[j] = cost(target, cands[j]);
            }
            cands[n] = node;
            costs[n] = cost(target, node);
            sortByCost(cands, costs);
            int[] kept = selectNeighbours(target, cands, costs, n + 1, capacity);
            System.arraycopy(kept, 0, links, base + 1, kept.length);
            links[base] = kept.length;
        }
    }

    private static void sortByCost(int[] nodes, float[] costs) {
        for (int i = 1; i < nodes.length; i++) {
            int n = nodes[i];
            float c = costs[i];
            int j = i - 1;
            while (j >= 0 && costs[j] > c) {
                nodes[j + 1] = nodes[j];
                costs[j + 1] = costs[j];
                j--;
            }
            nodes[j + 1] = n;
            costs[j + 1] = c;
        }
    }
}
