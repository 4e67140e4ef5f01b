package io.elanus.vector;

import io.milvus.grpc.DataType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * An index's node-major vectors in a little-endian segment, scored by the metric's cost against
 * prepared queries (floats, unit length for COSINE): floats, or int8 kept as bytes.
 */
sealed interface DenseVectors permits FloatVectors, Int8Vectors {
    VectorKernels KERNELS = VectorKernels.get();

    static DenseVectors of(DenseInput input, MetricType metric) {
        return input.int8() != null ? Int8Vectors.of(OffHeap.bytes(input.int8()), input.dim(), metric)
                : new FloatVectors(OffHeap.floats(input.vectors()), input.dim(), metric);
    }

    /**
     * The "vectors" section of an index file over {@code count} nodes. Format version 1 stored int8
     * fields widened to float (unit length for COSINE), so those still load as floats.
     */
    static DenseVectors load(IndexFile file, IndexSpec spec, int count) throws IOException {
        MemorySegment data = file.section("vectors");
        boolean int8 = spec.fieldType() == DataType.Int8Vector && file.version() >= 2;
        if (data.byteSize() != (long) count * spec.dim() * (int8 ? 1 : 4)) {
            throw new IOException("corrupt index file: vectors section of " + data.byteSize() + " bytes for " + count + " vectors");
        }
        return int8 ? Int8Vectors.of(data, spec.dim(), spec.metric()) : new FloatVectors(data, spec.dim(), spec.metric());
    }

    MemorySegment data();

    int dim();

    /** Smaller-is-better cost of {@code node} for a prepared query. */
    float cost(float[] query, int node);

    /** {@link #cost} of {@code nodes[0..n)} into {@code out[0..n)}. */
    void costs(float[] query, int[] nodes, int n, float[] out);

    /** Writes {@code node}'s vector to {@code out[0..dim)} as a prepared query (unit length for COSINE). */
    void copy(int node, float[] out);
}
