package io.elanus.vector;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inverted-file indexes (IVF_FLAT, IVF_SQ8, IVF_PQ): k-means centroids partition the vectors into
 * {@code nlist} lists stored contiguously; a search scans the {@code nprobe} lists whose centroids
 * are closest to the query. Coarse assignment uses squared L2, except inner product for IP.
 */
final class IvfIndex extends DenseIndex {
    private final IndexSpec spec;
    private final float[] centroids;
    private final int[] listOffsets;
    private final IvfCodec codec;
    private final VectorKernels kernels = VectorKernels.get();

    private IvfIndex(IndexSpec spec, float[] centroids, int[] listOffsets, IvfCodec codec, NodeRows nodes) {
        super(spec.metric(), spec.dim(), nodes);
        this.spec = spec;
        this.centroids = centroids;
        this.listOffsets = listOffsets;
        this.codec = codec;
    }

    static IvfIndex build(IndexSpec spec, DenseInput input) {
        int dim = input.dim();
        int count = input.count();
        int nlist = Math.max(1, Math.min(spec.intParam("nlist"), count));
        float[] centroids = count == 0 ? new float[dim] : KMeans.train(input.vectors(), dim, 0, dim, nlist, 7);
        int[] listOf = new int[count];
        int[] listOffsets = new int[nlist + 1];
        for (int i = 0; i < count; i++) {
            listOf[i] = nearestList(input.vectors(), i * dim, centroids, nlist, dim, spec.metric());
            listOffsets[listOf[i] + 1]++;
        }
        for (int l = 0; l < nlist; l++) {
            listOffsets[l + 1] += listOffsets[l];
        }
        int[] fill = java.util.Arrays.copyOf(listOffsets, nlist);
        float[] ordered = new float[count * dim];
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) {
            int node = fill[listOf[i]]++;
            System.arraycopy(input.vectors(), i * dim, ordered, node * dim, dim);
            rows[node] = input.rows()[i];
        }
        IvfCodec codec = switch (spec.indexType()) {
            case "IVF_FLAT" -> new IvfFlatCodec(new FloatVectors(OffHeap.floats(ordered), dim, spec.metric()));
            case "IVF_SQ8" -> IvfSq8Codec.encode(ordered, dim, spec.metric());
            case "IVF_PQ" -> IvfPqCodec.encode(ordered, centroids, listOffsets, dim, spec.intParam("m"), spec.intParam("nbits"),
                    spec.metric());
            default -> throw new IllegalArgumentException("invalid index type: " + spec.indexType());
        };
        return new IvfIndex(spec, centroids, listOffsets, codec, new NodeRows(rows, input.columnSize()));
    }

    static IvfIndex load(IndexSpec spec, IndexFile file, NodeRows nodes) throws IOException {
        int[] offsets = OffHeap.toInts(file.section("list_offsets"));
        if (offsets.length < 2 || offsets[0] != 0 || offsets[offsets.length - 1] != nodes.count()) {
            throw new IOException("corrupt IVF list offsets");
        }
        float[] centroids = OffHeap.toFloats(file.section("centroids"));
        IvfCodec codec = switch (spec.indexType()) {
            case "IVF_FLAT" -> new IvfFlatCodec(DenseVectors.load(file, spec, nodes.count()));
            case "IVF_SQ8" -> IvfSq8Codec.load(file, spec.dim(), spec.metric());
            case "IVF_PQ" -> IvfPqCodec.load(file, centroids, offsets, spec.dim(), spec.intParam("m"), spec.intParam("nbits"),
                    spec.metric());
            default -> throw new IOException("unknown IVF index type " + spec.indexType());
        };
        return new IvfIndex(spec, centroids, offsets, codec, nodes);
    }

    private static int nearestList(float[] v, int off, float[] centroids, int nlist, int dim, MetricType metric) {
        if (metric != MetricType.IP) {
            return KMeans.nearest(v, off, centroids, nlist, dim);
        }
        VectorKernels k = VectorKernels.get();
        int best = 0;
        float bestDot = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < nlist; c++) {
            float d = k.dot(v, off, centroids, c * dim, dim);
            if (d > bestDot) {
                bestDot = d;
                best = c;
            }
        }
        return best;
    }

    private int nlist() {
        return listOffsets.length - 1;
    }

    @Override
    public String indexType() {
        return spec.indexType();
    }

    @Override
    int searchWidth(int k, Map<String, String> params) {
        return Math.min(Params.intParam(params, "nprobe", 8, 1, 65536), nlist());
    }

    @Override
    NodeScorer scorer(float[] query) {
        return codec.scorer(query);
    }

    @Override
    void approximate(float[] query, int k, int nprobe, BitSet allowed, CostRange range, TopKHeap out) {
        GraphScratch s = GraphScratch.get();
        s.beam.reset(nprobe);
        for (int l = 0; l < nlist(); l++) {
            float c = metric == MetricType.IP ? -kernels.dot(query, 0, centroids, l * dim, dim)
                    : kernels.l2sq(query, 0, centroids, l * dim, dim);
            s.beam.offer(c, l);
        }
        s.ensure(nprobe);
        int probes = s.beam.drainSorted(s.nodes, s.costs);
        codec.scan(query, s.nodes, probes, listOffsets, s, (scanned, costs, n) -> {
            for (int i = 0; i < n; i++) {
                if (range.contains(costs[i]) && nodes.allowed(scanned[i], allowed)) {
                    out.offer(costs[i], scanned[i]);
                }
            }
        });
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        ObjectNode meta = IndexFile.JSON.createObjectNode().put("nlist", nlist());
        Map<String, MemorySegment> sections = new LinkedHashMap<>();
        sections.put("rows", OffHeap.ints(nodes.rowOfNode()));
        sections.put("centroids", OffHeap.floats(centroids));
        sections.put("list_offsets", OffHeap.ints(listOffsets));
        sections.putAll(new java.util.TreeMap<>(codec.sections()));
        IndexFiles.write(out, spec, nodes, meta, sections);
    }
}
