package io.elanus.vector;

/** Per-thread reusable state of graph searches and builds, and of IVF list scans. */
final class GraphScratch {
    private static final ThreadLocal<GraphScratch> LOCAL = ThreadLocal.withInitial(GraphScratch::new);

    final VisitedSet visited = new VisitedSet();
    final NodeQueue candidates = new NodeQueue();
    final TopKHeap beam = new TopKHeap();
    int[] nodes = new int[64];
    float[] costs = new float[64];
    /** The unvisited neighbours of the node being expanded, and their costs. */
    int[] batch = new int[64];
    float[] batchCosts = new float[64];
    /** The next and end node of each list an IVF scan walks at once. */
    final int[] streamNext = new int[IvfFlatCodec.STREAMS];
    final int[] streamEnd = new int[IvfFlatCodec.STREAMS];

    /**
     * Sink for early reads of the neighbour list the search will probably expand next: Java has no
     * prefetch instruction, so a load whose value is kept starts that cache miss while the current
     * node's neighbours are scored.
     */
    int touched;

    static GraphScratch get() {
        return LOCAL.get();
    }

    void ensure(int n) {
        if (nodes.length < n) {
            nodes = new int[n];
            costs = new float[n];
        }
    }

    void ensureBatch(int n) {
        if (batch.length < n) {
            batch = new int[n];
            batchCosts = new float[n];
        }
    }
}
