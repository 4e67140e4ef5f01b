package io.elanus.vector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elanus.segment.ByteVectorColumn;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BIN_FLAT and BIN_IVF_FLAT over binary vectors (HAMMING, JACCARD). BIN_IVF_FLAT clusters with
 * k-means on the bits as 0/1 floats, rounds the centroids back to bits and probes lists by Hamming
 * distance; BIN_FLAT is the single-list case scanned whole.
 */
final class BinaryIvfIndex extends NodeIndex<byte[]> {
    private final IndexSpec spec;
    private final int bytesPerRow;
    private final MemorySegment codes;
    private final byte[] centroids;
    private final int[] listOffsets;
    private final VectorKernels kernels = VectorKernels.get();

    private BinaryIvfIndex(IndexSpec spec, MemorySegment codes, byte[] centroids, int[] listOffsets, NodeRows nodes) {
        super(spec.metric(), nodes);
        this.spec = spec;
        this.bytesPerRow = spec.dim() / 8;
        this.codes = codes;
        this.centroids = centroids;
        this.listOffsets = listOffsets;
    }

    static BinaryIvfIndex build(IndexSpec spec, ByteVectorColumn column) {
        int bytes = column.bytesPerRow();
        int[] rows = column.nulls().isEmpty() ? DenseInput.identity(column.size())
                : java.util.stream.IntStream.range(0, column.size()).filter(r -> !column.isNull(r)).toArray();
        int count = rows.length;
        boolean flat = spec.indexType().equals("BIN_FLAT");
        int nlist = flat ? 1 : Math.max(1, Math.min(spec.intParam("nlist"), count));
        byte[] centroids = flat || count == 0 ? new byte[bytes * nlist] : trainCentroids(column, rows, nlist);
        int[] listOf = new int[count];
        int[] listOffsets = new int[nlist + 1];
        VectorKernels k = VectorKernels.get();
        for (int i = 0; i < count; i++) {
            listOf[i] = flat ? 0 : nearest(k, column.data(), rows[i] * bytes, centroids, nlist, bytes);
            listOffsets[listOf[i] + 1]++;
        }
        for (int l = 0; l < nlist; l++) {
            listOffsets[l + 1] += listOffsets[l];
        }
        int[] fill = java.util.Arrays.copyOf(listOffsets, nlist);
        byte[] ordered = new byte[count * bytes];
        int[] nodeRows = new int[count];
        for (int i = 0; i < count; i++) {
            int node = fill[listOf[i]]++;
            System.arraycopy(column.data(), rows[i] * bytes, ordered, node * bytes, bytes);
            nodeRows[node] = rows[i];
        }
        return new BinaryIvfIndex(spec, OffHeap.bytes(ordered), centroids, listOffsets, new NodeRows(nodeRows, column.size()));
    }

    static BinaryIvfIndex load(IndexSpec spec, IndexFile file, NodeRows nodes) throws IOException {
        int[] offsets = OffHeap.toInts(file.section("list_offsets"));
        if (offsets.length < 2 || offsets[0] != 0 || offsets[offsets.length - 1] != nodes.count()) {
            throw new IOException("corrupt IVF list offsets");
        }
        return new BinaryIvfIndex(spec, file.section("codes"),
                file.section("centroids").toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), offsets, nodes);
    }

    private static byte[] trainCentroids(ByteVectorColumn column, int[] rows, int nlist) {
        int bytes = column.bytesPerRow();
        int dim = bytes * 8;
        int sample = Math.min(rows.length, nlist * 64);
        float[] bits = new float[sample * dim];
        int stride = Math.max(1, rows.length / sample);
        for (int i = 0; i < sample; i++) {
            int off = rows[(i * stride) % rows.length] * bytes;
            for (int b = 0; b < dim; b++) {
                bits[i * dim + b] = (column.data()[off + (b >>> 3)] >>> (b & 7)) & 1;
            }
        }
        float[] centres = KMeans.train(bits, dim, 0, dim, nlist, 11);
        byte[] out = new byte[nlist * bytes];
        for (int c = 0; c < nlist; c++) {
            for (int b = 0; b < dim; b++) {
                if (centres[c * dim + b] >= 0.5f) {
                    out[c * bytes + (b >>> 3)] |= (byte) (1 << (b & 7));
                }
            }
        }
        return out;
    }

    private static int nearest(VectorKernels k, byte[] v, int off, byte[] centroids, int nlist, int bytes) {
        int best = 0;
        int bestDistance = Integer.MAX_VALUE;
        for (int c = 0; c < nlist; c++) {
            int d = k.hamming(v, off, centroids, c * bytes, bytes);
            if (d < bestDistance) {
                bestDistance = d;
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
    byte[][] prepare(QueryVectors queries) {
        if (!(queries instanceof ByteQueries b)) {
            throw new IllegalArgumentException("binary vector index needs binary query vectors");
        }
        FlatSearch.checkDim(spec.dim(), b.dim());
        for (byte[] q : b.vectors()) {
            if (q.length != bytesPerRow) {
                throw new IllegalArgumentException("binary query vector has " + q.length + " bytes, expected " + bytesPerRow);
            }
        }
        return b.vectors();
    }

    @Override
    int searchWidth(int k, Map<String, String> params) {
        return Math.min(Params.intParam(params, "nprobe", 8, 1, 65536), nlist());
    }

    @Override
    NodeScorer scorer(byte[] query) {
        return metric == MetricType.HAMMING
                ? node -> kernels.hamming(query, codes, (long) node * bytesPerRow, bytesPerRow)
                : node -> kernels.jaccard(query, codes, (long) node * bytesPerRow, bytesPerRow);
    }

    @Override
    void approximate(byte[] query, int k, int nprobe, BitSet allowed, CostRange range, TopKHeap out) {
        GraphScratch s = GraphScratch.get();
        s.beam.reset(nprobe);
        for (int l = 0; l < nlist(); l++) {
            s.beam.offer(kernels.hamming(query, 0, centroids, l * bytesPerRow, bytesPerRow), l);
        }
        s.ensure(nprobe);
        int probes = s.beam.drainSorted(s.nodes, s.costs);
        NodeScorer scorer = scorer(query);
        for (int p = 0; p < probes; p++) {
            int list = s.nodes[p];
            for (int node = listOffsets[list]; node < listOffsets[list + 1]; node++) {
                if (nodes.allowed(node, allowed)) {
                    float c = scorer.cost(node);
                    if (range.contains(c)) {
                        out.offer(c, node);
                    }
                }
            }
        }
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        ObjectNode meta = IndexFile.JSON.createObjectNode().put("nlist", nlist());
        Map<String, MemorySegment> sections = new LinkedHashMap<>();
        sections.put("rows", OffHeap.ints(nodes.rowOfNode()));
        sections.put("centroids", OffHeap.bytes(centroids));
        sections.put("list_offsets", OffHeap.ints(listOffsets));
        sections.put("codes", codes);
        IndexFiles.write(out, spec, nodes, meta, sections);
    }
}
