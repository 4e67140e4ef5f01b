package io.elanus.vector;

import io.milvus.grpc.DataType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How index files' vector sections load, across format versions. */
class DenseVectorsTest {
    private static final IndexSpec INT8_COSINE = new IndexSpec("FLAT", MetricType.COSINE, DataType.Int8Vector, 2, Map.of());

    @Test
    void int8VectorsOfVersionTwoFilesAreBytesScoredByCosine() throws IOException {
        IndexFile file = file(2, OffHeap.bytes(new byte[]{3, 4, 0, -5}));
        DenseVectors v = DenseVectors.load(file, INT8_COSINE, 2);
        assertInstanceOf(Int8Vectors.class, v);
        float[] query = {0.6f, 0.8f};
        assertEquals(-1f, v.cost(query, 0), 1e-6);
        assertEquals(0.8f, v.cost(query, 1), 1e-6);
    }

    @Test
    void int8VectorsOfVersionOneFilesWereWidenedToUnitFloats() throws IOException {
        IndexFile file = file(1, OffHeap.floats(new float[]{0.6f, 0.8f, 0f, -1f}));
        DenseVectors v = DenseVectors.load(file, INT8_COSINE, 2);
        assertInstanceOf(FloatVectors.class, v);
        assertEquals(0.8f, v.cost(new float[]{0.6f, 0.8f}, 1), 1e-6);
    }

    @Test
    void aVectorsSectionOfTheWrongSizeIsRefused() {
        assertThrows(IOException.class, () -> DenseVectors.load(file(2, OffHeap.bytes(new byte[3])), INT8_COSINE, 2));
        assertThrows(IOException.class, () -> DenseVectors.load(file(1, OffHeap.bytes(new byte[4])), INT8_COSINE, 2));
    }

    private static IndexFile file(int version, java.lang.foreign.MemorySegment vectors) {
        return new IndexFile(version, IndexFile.JSON.createObjectNode(), Map.of("vectors", vectors));
    }
}
