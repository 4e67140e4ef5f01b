package io.elanus.vector;

import io.elanus.common.NamedThreads;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds an HNSW graph over stored vectors, inserting nodes from several threads. Each node's
 * neighbour list is written under that node's (striped) lock, one lock held at a time; readers scan
 * lists without locking, which is safe because every id ever written is a valid node whose vector
 * is already present (a racy read only sees an older or newer neighbour set).
 */
final class HnswBuilder {
    /** Build threads, the caller's included; defaults to two (the project's target machines have two cores). */
    static final String THREADS_PROPERTY = "elanus.index.buildThreads";
    private static final int LOCK_STRIPES = 4096;

    private final DenseVectors vectors;
    private final int count;
    private final int m;
    private final int efConstruction;
    private final HnswGraph.Heap graph;
    private final ThreadLocal<Scratch> scratch;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final Object entryLock = new Object();
    private volatile int entryPoint = -1;
    private volatile int maxLevel = -1;

    HnswBuilder(DenseVectors vectors, int count, int m, int efConstruction, long seed) {
        this.vectors = vectors;
        this.count = count;
        this.m = m;
        this.efConstruction = efConstruction;
        this.graph = new HnswGraph.Heap(count, m, randomLevels(count, m, seed));
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(vectors.dim(), 2 * m + 1));
    }

    /** One build thread's buffers, besides the search state in {@link GraphScratch}. */
    private static final class Scratch {
        /** The vector being inserted. */
        final float[] query;
        /** The vector of a node whose neighbours are being chosen or re-pruned. */
        final float[] probe;
        /** The inserted node's chosen neighbours at the current level. */
        final int[] chosen;
        /** Re-pruning of a neighbour's full list: its candidates, their costs and the survivors. */
        final int[] candidates;
        final float[] costs;
        final int[] kept;

        Scratch(int dim, int maxCandidates) {
            query = new float[dim];
            probe = new float[dim];
            chosen = new int[maxCandidates];
            candidates = new int[maxCandidates];
            costs = new float[maxCandidates];
            kept = new int[maxCandidates];
        }
    }

    HnswGraph.Heap build() {
        int threads = Math.max(1, Integer.getInteger(THREADS_PROPERTY, Math.min(2, Runtime.getRuntime().availableProcessors())));
        if (count == 0) {
            return graph;
        }
        insert(0);
        AtomicInteger next = new AtomicInteger(1);
        if (threads == 1 || count < 1000) {
            insertFrom(next);
        } else {
            insertInParallel(next, threads - 1);
        }
        graph.entryPoint = entryPoint;
        graph.maxLevel = maxLevel;
        return graph;
    }

    /**
     * The calling thread and {@code helpers} threads of a pool of this build's own take nodes from one counter. The
     * pool's daemon threads have ended before this returns, whatever happens; a failure of any of them stops the
     * others after their current node and is rethrown here.
     */
    private void insertInParallel(AtomicInteger next, int helpers) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(helpers, helpers, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(helpers), NamedThreads.daemon("hnsw-build"));
        try (pool) {
            List<Future<?>> workers = new ArrayList<>(helpers);
            for (int t = 0; t < helpers; t++) {
                workers.add(pool.submit(() -> insertFrom(next)));
            }
            insertFrom(next);
            for (Future<?> worker : workers) {
                awaitWorker(worker, next);
            }
        }
    }

    private void awaitWorker(Future<?> worker, AtomicInteger next) {
        try {
            worker.get();
        } catch (InterruptedException e) {
            next.set(count);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building HNSW", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IllegalStateException("HNSW build failed", e.getCause());
            }
        }
    }

    /** Inserts nodes until the counter passes the last one; a failure moves the counter past it, so every worker stops. */
    private void insertFrom(AtomicInteger next) {
        try {
            for (int node = next.getAndIncrement(); node < count; node = next.getAndIncrement()) {
                insert(node);
            }
        } catch (RuntimeException | Error e) {
            next.set(count);
            throw e;
        }
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
        Scratch b = scratch.get();
        GraphScratch s = GraphScratch.get();
        s.ensureBatch(2 * m);
        float[] query = b.query;
        vectors.copy(node, query);
        float epCost = vectors.cost(query, ep);
        for (int lc = top; lc > level; lc--) {
            boolean moved = true;
            while (moved) {
                moved = false;
                int n = copyLinks(ep, lc, s.batch);
                vectors.costs(query, s.batch, n, s.batchCosts);
                for (int j = 0; j < n; j++) {
                    if (s.batchCosts[j] < epCost) {
                        epCost = s.batchCosts[j];
                        ep = s.batch[j];
                        moved = true;
                    }
                }
            }
        }
        for (int lc = Math.min(level, top); lc >= 0; lc--) {
            int found = searchLayer(node, query, ep, lc, s);
            int chosen = selectNeighbours(node, s.nodes, s.costs, found, m, b.chosen, b);
            setLinks(node, lc, b.chosen, chosen);
            int capacity = graph.capacity(lc);
            for (int i = 0; i < chosen; i++) {
                addReverseLink(b.chosen[i], node, lc, capacity, b);
            }
            ep = s.nodes[0];
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

    /** Copies {@code node}'s neighbours at {@code level} into {@code out}; returns their number. */
    private int copyLinks(int node, int level, int[] out) {
        int base = graph.base(node, level);
        int[] links = graph.links(level);
        int n = links[base];
        System.arraycopy(links, base + 1, out, 0, n);
        return n;
    }

    /** Beam search of width efConstruction at level {@code lc}; leaves the hits cheapest-first in scratch. */
    private int searchLayer(int node, float[] query, int entry, int lc, GraphScratch s) {
        s.visited.reset(count);
        s.candidates.clear();
        s.beam.reset(efConstruction);
        float c0 = vectors.cost(query, entry);
        s.visited.visit(node);
        s.visited.visit(entry);
        s.candidates.push(c0, entry);
        s.beam.offer(c0, entry);
        int[] links = graph.links(lc);
        int[] batch = s.batch;
        float[] batchCosts = s.batchCosts;
        int lastLink = graph.capacity(lc);
        int touched = 0;
        while (!s.candidates.isEmpty()) {
            float c = s.candidates.peekCost();
            int current = s.candidates.peekNode();
            if (c > s.beam.threshold()) {
                break;
            }
            s.candidates.pop();
            int base = graph.base(current, lc);
            int n = links[base];
            int fresh = 0;
            for (int j = 1; j <= n; j++) {
                int nb = links[base + j];
                batch[fresh] = nb;
                fresh += s.visited.mark(nb);
            }
            if (!s.candidates.isEmpty()) {
                int next = graph.base(s.candidates.peekNode(), lc);
                touched += links[next] + links[next + lastLink];
            }
            vectors.costs(query, batch, fresh, batchCosts);
            for (int j = 0; j < fresh; j++) {
                float nc = batchCosts[j];
                if (nc < s.beam.threshold()) {
                    s.candidates.push(nc, batch[j]);
                    s.beam.offer(nc, batch[j]);
                }
            }
        }
        s.touched = touched;
        s.ensure(efConstruction);
        return s.beam.drainSorted(s.nodes, s.costs);
    }

    /**
     * HNSW's neighbour-selection heuristic: walk candidates cheapest-first and keep one only if it is
     * closer to the base node than to every neighbour already kept (this keeps links spread out).
     * Writes at most {@code limit} kept nodes to {@code kept}; returns their number.
     */
    private int selectNeighbours(int base, int[] candidates, float[] costs, int n, int limit, int[] kept, Scratch b) {
        int size = 0;
        for (int i = 0; i < n && size < limit; i++) {
            int c = candidates[i];
            if (c == base) {
                continue;
            }
            vectors.copy(c, b.probe);
            boolean diverse = true;
            for (int j = 0; j < size && diverse; j++) {
                diverse = vectors.cost(b.probe, kept[j]) >= costs[i];
            }
            if (diverse) {
                kept[size++] = c;
            }
        }
        return size;
    }

    private void setLinks(int node, int lc, int[] chosen, int n) {
        synchronized (locks[node & (LOCK_STRIPES - 1)]) {
            int base = graph.base(node, lc);
            int[] links = graph.links(lc);
            System.arraycopy(chosen, 0, links, base + 1, n);
            links[base] = n;
        }
    }

    private void addReverseLink(int target, int node, int lc, int capacity, Scratch b) {
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
            int[] cands = b.candidates;
            float[] costs = b.costs;
            System.arraycopy(links, base + 1, cands, 0, n);
            cands[n] = node;
            vectors.copy(target, b.probe);
            vectors.costs(b.probe, cands, n + 1, costs);
            sortByCost(cands, costs, n + 1);
            int kept = selectNeighbours(target, cands, costs, n + 1, capacity, b.kept, b);
            System.arraycopy(b.kept, 0, links, base + 1, kept);
            links[base] = kept;
        }
    }

    private static void sortByCost(int[] nodes, float[] costs, int n) {
        for (int i = 1; i < n; i++) {
            int v = nodes[i];
            float c = costs[i];
            int j = i - 1;
            while (j >= 0 && costs[j] > c) {
                nodes[j + 1] = nodes[j];
                costs[j + 1] = costs[j];
                j--;
            }
            nodes[j + 1] = v;
            costs[j + 1] = c;
        }
    }
}
