package io.elanus.vector;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parallel build's threads: named daemons of the build's own pool, all ended when build() returns or fails. */
class HnswBuilderTest {
    private static final int DIM = 4;

    @Test
    void aParallelBuildLinksEveryNodeAndLeavesNoThreadBehind() {
        int count = 3000;
        HnswGraph.Heap graph = withTwoThreads(() -> new HnswBuilder(vectors(count), count, 8, 32, 1).build());
        assertTrue(graph.entryPoint >= 0 && graph.entryPoint < count);
        for (int node = 0; node < count; node++) {
            assertTrue(graph.level0[graph.base(node, 0)] > 0, "node " + node + " has no neighbour on level 0");
        }
        assertEquals(List.of(), buildThreads());
    }

    /** Nodes past the stored vectors make whichever thread reaches them fail: the build fails, and its pool is gone. */
    @Test
    void aFailingWorkerFailsTheBuildAndItsPoolEnds() {
        int stored = 1500;
        assertThrows(IndexOutOfBoundsException.class,
                () -> withTwoThreads(() -> new HnswBuilder(vectors(stored), stored * 2, 8, 32, 1).build()));
        assertEquals(List.of(), buildThreads());
    }

    /**
     * The build's threads still alive. The pool has terminated when build() returns, but a worker thread may take a
     * moment more to exit after its last task: wait for them (bounded) rather than sample once.
     */
    private static List<String> buildThreads() {
        List<Thread> left = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("hnsw-build")).toList();
        for (Thread t : left) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return left.stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }

    private static <T> T withTwoThreads(java.util.function.Supplier<T> build) {
        String before = System.getProperty(HnswBuilder.THREADS_PROPERTY);
        System.setProperty(HnswBuilder.THREADS_PROPERTY, "2");
        try {
            return build.get();
        } finally {
            if (before == null) {
                System.clearProperty(HnswBuilder.THREADS_PROPERTY);
            } else {
                System.setProperty(HnswBuilder.THREADS_PROPERTY, before);
            }
        }
    }

    /** {@code count} distinct vectors on a spiral (no two at the same place, so every node has a nearest neighbour). */
    private static DenseVectors vectors(int count) {
        float[] values = new float[count * DIM];
        for (int i = 0; i < count; i++) {
            values[i * DIM] = (float) Math.cos(i * 0.1);
            values[i * DIM + 1] = (float) Math.sin(i * 0.1);
            values[i * DIM + 2] = i * 0.001f;
            values[i * DIM + 3] = (i % 7) * 0.01f;
        }
        MemorySegment data = OffHeap.floats(values);
        return new FloatVectors(data, DIM, MetricType.L2);
    }
}
